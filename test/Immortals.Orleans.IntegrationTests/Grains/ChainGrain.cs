namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class ChainGrain : Grain, IChainGrain, IImmortalGrain
{
    private int _forwarded;

    public async Task<int> Forward(string counterKey, string gateKey, int step)
    {
        var count = await GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(1);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        _forwarded++;
        return count;
    }

    public Task<int> GetForwarded() => Task.FromResult(_forwarded);

    public async Task<int> ForwardAndReadSelf(string counterKey)
    {
        var count = await GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(1);
        _forwarded++;
        var forwarded = await GrainFactory.GetGrain<IChainGrain>(this.GetPrimaryKeyString()).GetForwarded();
        return count * 100 + forwarded;
    }
}
