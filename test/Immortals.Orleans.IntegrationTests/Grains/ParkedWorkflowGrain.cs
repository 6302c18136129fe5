namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class ParkedWorkflowGrain : Grain, IParkedWorkflowGrain, IImmortalGrain
{
    public async Task Park(string gateKey, string sinkKey)
    {
        await GrainFactory.GetGrain<IParkGrain>(0).Pass(gateKey, 1);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report("resumed");
    }
}
