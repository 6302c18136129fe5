namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class NoteGrain : Grain, INoteGrain
{
    public async Task Note(string runKey, int index)
    {
        FanInvocations.Record(runKey, index);
        if (TestGates.IsArmed(runKey, index))
        {
            await GrainFactory.GetGrain<IGateGrain>(index).Pass(runKey, index);
        }
    }
}
