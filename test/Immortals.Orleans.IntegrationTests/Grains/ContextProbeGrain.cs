namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class ContextProbeGrain : Grain, IContextProbeGrain, IImmortalGrain
{
    public Task<string?> ReadContext(string key) => Task.FromResult(RequestContext.Get(key) as string);
}
