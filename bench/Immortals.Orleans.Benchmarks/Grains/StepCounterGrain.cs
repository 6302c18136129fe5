namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>The immortal callee of the benchmarks. Its count is checkpointed; the recorder is not.</summary>
public sealed class StepCounterGrain : Grain, IStepCounterGrain, IImmortalGrain
{
    [NotCheckpointed]
    private readonly StepRecorder _recorder;

    private int _count;

    public StepCounterGrain(StepRecorder recorder)
    {
        _recorder = recorder;
    }

    /// <inheritdoc />
    public Task<int> Add(int amount)
    {
        _count += amount;
        _recorder.Record(this.GetPrimaryKeyString(), _count, _count);
        return Task.FromResult(_count);
    }

    /// <inheritdoc />
    public Task<int> GetCount() => Task.FromResult(_count);
}
