namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>An ordinary grain that returns at once.</summary>
public sealed class PingGrain : Grain, IPingGrain
{
    /// <inheritdoc />
    public Task<int> Ping(int value) => Task.FromResult(value + 1);
}
