namespace Immortals.Orleans.Roots;

/// <summary>
/// First-in first-out lock that runs the roots of a non-reentrant immortal grain one at a time. All its methods run
/// on the activation's scheduler, so it needs no thread synchronization.
/// </summary>
// NOTE: roots of non-reentrant grains that call each other in a cycle wait here forever, because no deadlock
// detection or call deadline exists.
internal sealed class RootLock
{
    private readonly Queue<(long RootId, TaskCompletionSource Waiter)> _waiting = new();

    /// <summary>Root that holds the lock, or <see langword="null"/>.</summary>
    public long? Owner { get; private set; }

    /// <summary>Number of roots waiting for the lock.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Takes the lock for a root, waiting behind roots that asked before.</summary>
    public Task AcquireAsync(long rootId)
    {
        if (Owner is null)
        {
            Owner = rootId;
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue((rootId, waiter));
        return waiter.Task;
    }

    /// <summary>Gives the lock to a root rebuilt from a checkpoint, which held it when the checkpoint was taken.</summary>
    public void Restore(long rootId) => Owner = rootId;

    /// <summary>Releases the lock held by a root and hands it to the next waiting root.</summary>
    public void Release(long rootId)
    {
        if (Owner != rootId)
        {
            return;
        }

        if (_waiting.TryDequeue(out var next))
        {
            Owner = next.RootId;
            next.Waiter.SetResult();
            return;
        }

        Owner = null;
    }
}
