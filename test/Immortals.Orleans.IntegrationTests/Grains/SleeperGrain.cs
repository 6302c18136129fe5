using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

[StatelessWorker]
public sealed class SleeperGrain : Grain, ISleeperGrain
{
    public Task Sleep(int milliseconds) => Task.Delay(milliseconds);
}
