using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// Runs on the caller's silo, so a held call dies with the silo of the grain it holds, and interleaves its calls,
/// so that hundreds of workflows can wait at their gates together.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ParkGrain : Grain, IParkGrain
{
    public Task Pass(string gateKey, int step) => TestGates.PassAsync(gateKey, step);
}
