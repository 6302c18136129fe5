using Orleans.Concurrency;
using Orleans.Placement;

namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>
/// Holds calls of immortal workflows. It is placed on the silo of its first caller, so it dies with the workflows
/// it holds, and a workflow recovered elsewhere calls a new activation, which records the call again.
/// </summary>
[Reentrant]
[PreferLocalPlacement]
public sealed class ParkGrain : Grain, IParkGrain
{
    /// <summary>Step number recorded for an arrival.</summary>
    public const int ArrivalStep = -1;

    private readonly StepRecorder _recorder;
    private readonly List<TaskCompletionSource> _waiting = [];
    private bool _released;

    public ParkGrain(StepRecorder recorder)
    {
        _recorder = recorder;
    }

    /// <inheritdoc />
    public Task Wait(string waiter)
    {
        _recorder.Record(waiter, ArrivalStep, 0);
        if (_released)
        {
            return Task.CompletedTask;
        }

        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add(waiting);
        return waiting.Task;
    }

    /// <inheritdoc />
    public Task Release()
    {
        _released = true;
        foreach (var waiting in _waiting)
        {
            waiting.SetResult();
        }

        _waiting.Clear();
        return Task.CompletedTask;
    }
}
