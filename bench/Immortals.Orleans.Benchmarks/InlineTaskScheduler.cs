namespace Immortals.Orleans.Benchmarks;

/// <summary>Runs every task synchronously on the thread that queues it, one at a time.</summary>
internal sealed class InlineTaskScheduler : TaskScheduler
{
    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <inheritdoc />
    protected override void QueueTask(Task task) => TryExecuteTask(task);

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => [];
}
