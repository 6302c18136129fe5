namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// A scheduler that runs one task at a time, only when the test calls <see cref="RunUntilIdle"/>, on the
/// calling thread. It takes the place of an Orleans activation scheduler and makes every run deterministic.
/// </summary>
public sealed class ManualTaskScheduler(Journal journal) : TaskScheduler
{
    private readonly Queue<Task> _queue = new();
    private readonly object _gate = new();

    /// <summary>Journal that side effects of the tasks run here go to.</summary>
    public Journal Journal => journal;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Whether tasks are waiting to run.</summary>
    public bool HasQueuedTasks
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>Starts <paramref name="function"/> as a task on this scheduler; it runs at the next <see cref="RunUntilIdle"/>.</summary>
    public Task<T> Start<T>(Func<T> function) =>
        Task.Factory.StartNew(function, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    /// <summary>Runs queued tasks, including those they queue, until none is left.</summary>
    public void RunUntilIdle()
    {
        while (RunOne())
        {
        }
    }

    /// <summary>Runs the oldest queued task; returns false when none was queued.</summary>
    public bool RunOne()
    {
        Task? next;
        lock (_gate)
        {
            if (!_queue.TryDequeue(out next))
            {
                return false;
            }
        }

        // Like an Orleans activation, tasks run without a synchronization context, so awaits capture this
        // scheduler; a test runner's context would otherwise take over the continuations.
        var previousJournal = Journal.Ambient;
        var previousContext = SynchronizationContext.Current;
        Journal.Ambient = journal;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            TryExecuteTask(next);
        }
        finally
        {
            Journal.Ambient = previousJournal;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }

        return true;
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _queue.Enqueue(task);
        }
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return _queue.ToArray();
        }
    }
}
