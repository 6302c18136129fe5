namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>An ordinary grain that holds calls until it is released.</summary>
public interface IParkGrain : IGrainWithStringKey
{
    /// <summary>Records the arrival of <paramref name="waiter"/> and completes once the grain is released.</summary>
    Task Wait(string waiter);

    /// <summary>Completes every waiting call, and every later one at once.</summary>
    Task Release();
}
