using DurableTask.Core;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// The activity every orchestration calls: increments a counter held in memory by the worker, records the step in
/// the worker's <see cref="StepLog"/> and returns the new counter value. Its input is the index of the call.
/// </summary>
internal sealed class IncrementActivity(StepLog log) : TaskActivity<int, int>
{
    private int _counter;

    /// <inheritdoc />
    protected override int Execute(TaskContext context, int input)
    {
        var value = Interlocked.Increment(ref _counter);
        log.Record(context.OrchestrationInstance.InstanceId, input, value);
        return value;
    }
}
