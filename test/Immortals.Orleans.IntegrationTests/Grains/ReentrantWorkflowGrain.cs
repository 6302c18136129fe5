using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

[Reentrant]
public sealed class ReentrantWorkflowGrain : Grain, IReentrantWorkflowGrain, IImmortalGrain
{
    private readonly List<int> _counts = [];
    private int _total;

    public async Task<int> Run(string counterKey, int steps, string gateKey, string sinkKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        var sum = 0;
        for (var step = 1; step <= steps; step++)
        {
            sum += await counter.Add(1);
            await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString());
        return sum;
    }

    public async Task<int> CallSelf(string counterKey, string gateKey, string sinkKey)
    {
        var self = GrainFactory.GetGrain<IReentrantWorkflowGrain>(this.GetPrimaryKeyString());
        var count = await self.Add(counterKey, 5);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        var second = await self.Add(counterKey, 7);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report($"{count}:{second}:{_total}");
        return second;
    }

    public async Task<int> Add(string counterKey, int amount)
    {
        var count = await GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(amount);
        _total += amount;
        return count;
    }

    public Task<int> GetTotal() => Task.FromResult(_total);

    public async Task AppendCounts(string counterKey, int steps, string gateKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        for (var step = 1; step <= steps; step++)
        {
            _counts.Add(await counter.Add(1));
            await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        }
    }

    public Task<List<int>> GetCounts() => Task.FromResult(_counts.ToList());
}
