namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class CounterGrain : Grain, ICounterGrain, IImmortalGrain
{
    private int _count;

    public Task<int> Add(int amount)
    {
        _count += amount;
        return Task.FromResult(_count);
    }

    public Task<int> GetCount() => Task.FromResult(_count);

    public async Task<int> AddAfterGate(string gateKey, int step, int amount)
    {
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        _count += amount;
        return _count;
    }

    public async Task FailAfterGate(string gateKey, int step, string message)
    {
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        throw new InvalidOperationException(message);
    }

    public async Task<int> AddSlowly(int amount, int naps, int napMilliseconds)
    {
        for (var i = 0; i < naps; i++)
        {
            await GrainFactory.GetGrain<ISleeperGrain>(0).Sleep(napMilliseconds);
        }

        _count += amount;
        return _count;
    }

    public async Task<int> AddUnlessFailing(bool fail, string gateKey, int amount)
    {
        if (fail)
        {
            throw new InvalidOperationException("failed before the first await");
        }

        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        _count += amount;
        return _count;
    }

    public Task<int> ThrowAtOnce(string message) => throw new InvalidOperationException(message);
}
