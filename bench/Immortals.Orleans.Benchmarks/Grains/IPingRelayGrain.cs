namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>An ordinary grain that forwards each call to the <see cref="IPingGrain"/> with its own key.</summary>
public interface IPingRelayGrain : IGrainWithIntegerKey
{
    /// <summary>Calls <see cref="IPingGrain.Ping"/> and returns its result.</summary>
    Task<int> Relay(int value);
}
