namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>
/// An ordinary grain that calls another, so that a silo's incoming and outgoing call filters both see the call.
/// </summary>
public sealed class PingRelayGrain : Grain, IPingRelayGrain
{
    /// <inheritdoc />
    public Task<int> Relay(int value) => GrainFactory.GetGrain<IPingGrain>(this.GetPrimaryKeyLong()).Ping(value);
}
