namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>Replaces the grain-level filter of <see cref="IImmortalGrain"/>, so its activation must fail.</summary>
public sealed class OwnFilterProbeGrain : Grain, IOwnFilterProbeGrain, IImmortalGrain
{
    public Task Invoke(IIncomingGrainCallContext context) => context.Invoke();

    public Task<string?> ReadContext(string key) => Task.FromResult(RequestContext.Get(key) as string);
}
