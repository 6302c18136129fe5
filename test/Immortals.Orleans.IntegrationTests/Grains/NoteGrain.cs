namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class NoteGrain : Grain, INoteGrain
{
    public Task Note(string runKey, int index)
    {
        FanInvocations.Record(runKey, index);
        return Task.CompletedTask;
    }
}
