using Orleans.Concurrency;
using Orleans.Placement;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// Reentrant, so that every call of a fan-out can wait at its own gate at the same time. Placed at random, because
/// the tests need workers on other silos than their caller, and Orleans' default placement can put a burst of new
/// activations on one silo.
/// </summary>
[Reentrant]
[RandomPlacement]
public sealed class FanWorkerGrain : Grain, IFanWorkerGrain, IImmortalGrain
{
    private readonly List<int> _notes = [];
    private int _completed;

    public async Task<int> Work(string runKey, int index)
    {
        FanInvocations.Record(runKey, index);
        if (TestGates.IsArmed(runKey, index))
        {
            // One gate grain per index: a stateless worker runs at most one activation per core, so calls waiting
            // at one gate grain would queue behind each other.
            await GrainFactory.GetGrain<IGateGrain>(index).Pass(runKey, index);
        }

        _completed++;
        return index + 1;
    }

    public Task<int> GetCompleted() => Task.FromResult(_completed);

    public Task Notify(string runKey, int value)
    {
        FanInvocations.Record(runKey, 0);
        _notes.Add(value);
        return Task.CompletedTask;
    }

    public async Task NotifyAfterGate(string runKey, int value)
    {
        FanInvocations.Record(runKey, 1);
        if (TestGates.IsArmed(runKey, 2))
        {
            await GrainFactory.GetGrain<IGateGrain>(2).Pass(runKey, 2);
        }

        _notes.Add(value);
    }

    public Task<List<int>> GetNotes() => Task.FromResult(_notes.ToList());
}
