using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>Runs on the caller's silo, so a gate dies with the silo of the grain it holds.</summary>
[StatelessWorker]
public sealed class GateGrain : Grain, IGateGrain
{
    public Task Pass(string gateKey, int step) => TestGates.PassAsync(gateKey, step);
}
