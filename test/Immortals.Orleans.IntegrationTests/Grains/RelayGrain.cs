namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class RelayGrain : Grain, IRelayGrain
{
    private int _count;

    public async Task<int> AddTwice(string counterKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        await counter.Add(1);
        return await counter.Add(1);
    }

    public Task<string?> ReadContext(string key) => Task.FromResult(RequestContext.Get(key) as string);

    public Task<string?> ReadContextThrough(string otherKey, string key) =>
        GrainFactory.GetGrain<IRelayGrain>(otherKey).ReadContext(key);

    public Task<int> Increment() => Task.FromResult(++_count);

    public Task Fail(string message) => throw new InvalidOperationException(message);
}
