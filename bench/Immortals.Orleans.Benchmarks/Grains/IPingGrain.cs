namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>An ordinary grain that returns at once.</summary>
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/> plus one.</summary>
    Task<int> Ping(int value);
}
