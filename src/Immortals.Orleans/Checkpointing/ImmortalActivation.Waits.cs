using Immortals.Orleans.Calls;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Immortals.Orleans.StateMachines;
using Immortals.Orleans.Waits;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Durable waits: delays and signal waits are leaves of the frame snapshot, like calls. They take their leaf ids from
/// the sequence numbers of calls, are stored in the checkpoint while a suspended method awaits them, and complete
/// from a timer or a delivered signal instead of a callee's result.
/// </summary>
internal sealed partial class ImmortalActivation : IImmortalWaits
{
    // A timer of the system time provider accepts at most about 49 days; longer delays re-arm until they are due.
    private static readonly TimeSpan MaxTimerPeriod = TimeSpan.FromDays(1);

    private readonly Dictionary<long, PendingWait> _waits = [];
    private bool _delaysRegistered;
    private bool _storedPendingDelays;
    private bool _timersWatchClose;

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken, string apiName) =>
        DelayUntilAsync(_runtime.WaitTimeProvider.GetUtcNow() + delay, cancellationToken, apiName);

    public Task DelayUntilAsync(DateTimeOffset dueTime, CancellationToken cancellationToken, string apiName)
    {
        EnterWait(apiName);
        var canceledWith = CancelingRoot(cancellationToken, apiName);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (dueTime <= _runtime.WaitTimeProvider.GetUtcNow())
        {
            return Task.CompletedTask;
        }

        var wait = AddWait(new WaitRecord { Kind = WaitKind.Delay, DueTime = dueTime }, typeof(object), canceledWith);
        _logger.DelayStarted(GrainKey, wait.LeafId, dueTime);
        return wait.Leaf.Task;
    }

    /// <summary>Number of waits that a stored checkpoint contains and that have not completed.</summary>
    /// <remarks>Read it on the activation's scheduler, because a read from another thread may meet a change.</remarks>
    public int StoredPendingWaitCount => _waits.Values.Count(wait => wait.Durable && !wait.Completed);

    /// <summary>
    /// Whether a delay waits for its due time in memory or in the last stored checkpoint, so that the wake-up registry
    /// must keep the grain. A delay that fired but whose completion is not stored yet still counts.
    /// </summary>
    private bool HasPendingDelays => _storedPendingDelays || _waits.Values.Any(wait => wait.IsPendingDelay);

    /// <summary>
    /// Checks that grain code of this activation calls a wait API on the activation's scheduler, in a root that did
    /// not fail.
    /// </summary>
    private void EnterWait(string apiName)
    {
        ThrowIfClosed();
        if (!IsOnScheduler)
        {
            throw new InvalidOperationException(
                $"{apiName} was called by immortal grain {GrainKey} off the grain's scheduler, for example in "
                + "Task.Run or after ConfigureAwait(false). Await it in the grain method itself.");
        }

        var root = CurrentRootOwner.Value?.Root;
        if (root is { Failed: true })
        {
            throw new ImmortalCheckpointException(
                GrainKey,
                root.Record.MethodName,
                $"{root.Record.MethodName} on immortal grain {GrainKey} failed because it could not be checkpointed; "
                + $"it cannot wait with {apiName}.");
        }
    }

    /// <summary>
    /// Returns the root whose cancellation token <paramref name="cancellationToken"/> is, or <see langword="null"/>
    /// for a token that cannot be canceled. Any other token is rejected: its cancellation would not be stored, so a
    /// recovered method would wait on after it.
    /// </summary>
    private ActiveRoot? CancelingRoot(CancellationToken cancellationToken, string apiName)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return null;
        }

        foreach (var root in _roots.Values)
        {
            if (root.HasCancellationToken && root.CancellationToken == cancellationToken)
            {
                return root;
            }
        }

        throw new ArgumentException(
            $"{apiName} on immortal grain {GrainKey} received a cancellation token that is not the "
            + "CancellationToken parameter of a running grain method. A checkpoint stores only the cancellation of "
            + "a method's own token (see ImmortalRequests.CancelAsync), so another token would be lost in a silo "
            + "failure. Pass the method's token or CancellationToken.None.",
            nameof(cancellationToken));
    }

    /// <summary>
    /// Adds a wait and requests the checkpoint that stores it. A delay's timer starts once a stored checkpoint contains
    /// the wait (see <see cref="CommitWaits"/>). A wait with <paramref name="canceledWith"/> is canceled with that
    /// root's token.
    /// </summary>
    private PendingWait AddWait(WaitRecord record, Type resultType, ActiveRoot? canceledWith)
    {
        record.LeafId = _nextSequence++;
        record.CanceledWithRoot = canceledWith?.RootId ?? 0;
        var wait = new PendingWait(record, LeafCompletion.Create(resultType), resultType);
        _waits.Add(record.LeafId, wait);
        if (canceledWith is not null)
        {
            WatchCancellation(wait, canceledWith);
        }

        UpdateKeepAlive();
        RequestCheckpoint();
        return wait;
    }

    /// <summary>
    /// Cancels the wait with the root's token once that token is canceled. The token is canceled only by a stored
    /// cancel request, so the outcome is the same after a recovery.
    /// </summary>
    private void WatchCancellation(PendingWait wait, ActiveRoot root)
    {
        var token = root.CancellationToken;
        if (token.IsCancellationRequested)
        {
            CancelWait(wait, token);
            return;
        }

        wait.Cancellation = token.UnsafeRegister(
            _ => Queue(() =>
            {
                CancelWait(wait, token);
                return Task.CompletedTask;
            }),
            null);
    }

    private void CancelWait(PendingWait wait, CancellationToken token)
    {
        if (wait.Completed || !_waits.ContainsKey(wait.LeafId))
        {
            return;
        }

        _logger.WaitCanceled(GrainKey, wait.LeafId);
        CompleteWait(wait, new CallOutcome { Exception = new OperationCanceledException(token) }, token);
    }

    /// <summary>
    /// Applies a stored checkpoint to the waits and signals it contains: waits become durable and their delays start,
    /// and signals become stored, which replies to their senders and completes the methods waiting for them. Derived
    /// from the stored record, so that no completion depends on a callback of a write that failed.
    /// </summary>
    private void CommitWaits(CheckpointRecord record)
    {
        _storedPendingDelays = record.Waits.Any(IsStoredPendingDelay);
        foreach (var stored in record.Waits)
        {
            if (!_waits.TryGetValue(stored.LeafId, out var wait) || wait.Durable)
            {
                continue;
            }

            wait.Durable = true;
            if (wait.IsPendingDelay)
            {
                ArmDelay(wait);
            }
        }

        foreach (var stored in record.Signals)
        {
            if (_signals.TryGetValue(stored.SignalId, out var signal)
                && signal.DeliveredAt == stored.DeliveredAt
                && signal.Stored.TrySetResult())
            {
                CompleteSignalWaits(signal);
            }
        }
    }

    /// <summary>
    /// Starts the timer of a stored delay, or completes the delay at once when it is due. The timer never completes
    /// a delay before its due time on the time provider's clock: an early tick arms the timer again.
    /// </summary>
    private void ArmDelay(PendingWait wait)
    {
        if (_closed || !wait.IsPendingDelay || !_waits.ContainsKey(wait.LeafId))
        {
            return;
        }

        var now = _runtime.WaitTimeProvider.GetUtcNow();
        var remaining = wait.Record.DueTime - now;
        wait.Timer?.Dispose();
        wait.Timer = null;
        if (remaining <= TimeSpan.Zero)
        {
            _logger.DelayFired(GrainKey, wait.LeafId, wait.Record.DueTime, now);
            CompleteWait(wait, wait.Record.Kind == WaitKind.Delay ? new CallOutcome() : SignalTimeout(wait.Record));
            return;
        }

        WatchCloseForTimers();
        wait.Timer = _runtime.WaitTimeProvider.CreateTimer(
            _ => OnDelayTimer(wait),
            null,
            remaining < MaxTimerPeriod ? remaining : MaxTimerPeriod,
            Timeout.InfiniteTimeSpan);
    }

    private void OnDelayTimer(PendingWait wait)
    {
        if (_closed)
        {
            return;
        }

        _ = Queue(() =>
        {
            ArmDelay(wait);
            return Task.CompletedTask;
        });
    }

    private static bool IsStoredPendingDelay(WaitRecord wait) =>
        wait.Outcome is null && (wait.Kind == WaitKind.Delay || wait.HasDeadline);

    private CallOutcome SignalTimeout(WaitRecord wait) => new()
    {
        Exception = new TimeoutException(
            $"Immortal grain {GrainKey} received no signal '{wait.SignalId}' before {wait.DueTime:o}."),
    };

    /// <summary>Disposes every delay timer once the activation closes, so that no timer outlives it.</summary>
    private void WatchCloseForTimers()
    {
        if (_timersWatchClose)
        {
            return;
        }

        _timersWatchClose = true;
        _stopping.Token.Register(() =>
        {
            foreach (var wait in _waits.Values.ToArray())
            {
                wait.Timer?.Dispose();
            }
        });
    }

    /// <summary>
    /// Stores the outcome of a wait and resumes the awaiting frame from a work item of its own, with an empty
    /// <c>RequestContext</c>. A checkpoint is requested after the frame had a chance to run, as for a call result.
    /// </summary>
    /// <remarks>
    /// A wait ended by <paramref name="canceledBy"/> is canceled with that token, like an API that observes its token,
    /// so that <c>catch (OperationCanceledException e) when (e.CancellationToken == token)</c> recognizes it.
    /// </remarks>
    private void CompleteWait(PendingWait wait, CallOutcome outcome, CancellationToken canceledBy = default)
    {
        if (wait.Completed || _closed)
        {
            return;
        }

        wait.Timer?.Dispose();
        wait.Timer = null;
        wait.Cancellation.Dispose();
        var api = wait.Record.Kind == WaitKind.Delay ? "ImmortalTime.Delay" : "ImmortalSignals.WaitAsync";
        var bytes = WriteOutcome(outcome, api);
        wait.Record.Outcome = bytes;
        wait.Record.Canceled = canceledBy.CanBeCanceled;
        var leaf = wait.Leaf;
        Queue(() =>
        {
            RequestContext.Clear();
            if (canceledBy.CanBeCanceled)
            {
                leaf.Cancel(canceledBy);
            }
            else
            {
                leaf.Complete(ReadOutcome(bytes));
            }

            Queue(() =>
            {
                RequestCheckpoint();
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });
    }

    /// <summary>Adds the waits of the current state to a capture request.</summary>
    private void AddWaitLeaves(FrameCaptureRequest request)
    {
        foreach (var wait in _waits.Values)
        {
            request.AddLeaf(wait.LeafId, wait.Leaf.Task);
        }
    }

    /// <summary>
    /// Puts the waits that suspended methods still refer to, and the signals that have not expired, into a record.
    /// Waits that no suspended method refers to are dropped: nothing can await them any more.
    /// </summary>
    private void CaptureWaits(CheckpointRecord record, HashSet<long> referenced)
    {
        foreach (var wait in _waits.Values.ToList())
        {
            if (referenced.Contains(wait.LeafId))
            {
                // A copy, because a wait that completes while the write is retried must not reach storage without
                // the signal or the frame state that goes with its outcome.
                record.Waits.Add(wait.Record.Copy());
                continue;
            }

            wait.Timer?.Dispose();
            wait.Cancellation.Dispose();
            _waits.Remove(wait.LeafId);
            _logger.WaitDropped(GrainKey, wait.LeafId);
        }

        ExpireSignals();
        record.Signals = [.. _signals.Values.Select(signal => signal.Copy())];
    }

    /// <summary>Restores stored waits and signals before the rebuild, which requests the waits' tasks.</summary>
    private void RestoreWaits(CheckpointRecord record)
    {
        foreach (var stored in record.Waits)
        {
            var leaf = LeafCompletion.Create(typeof(object));
            var wait = new PendingWait(stored, leaf, typeof(object)) { Durable = true };
            _waits.Add(stored.LeafId, wait);
        }

        foreach (var signal in record.Signals)
        {
            signal.Stored.TrySetResult();
            _signals[signal.SignalId] = signal;
        }

        _storedPendingDelays = record.Waits.Any(IsStoredPendingDelay);
    }

    /// <summary>Returns the task of a stored wait for a rebuilt frame, or <see langword="null"/> for calls.</summary>
    private Task? CreateWaitLeaf(LeafRequest leaf)
    {
        if (!_waits.TryGetValue(leaf.LeafId, out var wait))
        {
            return null;
        }

        wait.ResultType = leaf.ResultType ?? typeof(object);
        wait.Leaf = LeafCompletion.Create(leaf.ResultType);
        return wait.Leaf.Task;
    }

    /// <summary>
    /// Completes the rebuilt waits whose outcome is stored, and the signal waits whose signal is stored, after the
    /// frames were rebuilt.
    /// </summary>
    private void CompleteRestoredWaits()
    {
        foreach (var wait in _waits.Values)
        {
            if (wait.Completed)
            {
                if (wait.Record.Canceled && _roots.TryGetValue(wait.Record.CanceledWithRoot, out var canceling))
                {
                    // The root's stored cancel request canceled its token before the rebuild.
                    wait.Leaf.Cancel(canceling.CancellationToken);
                }
                else
                {
                    wait.Leaf.Complete(ReadOutcome(wait.Record.Outcome!));
                }
            }
            else if (wait.Record is { Kind: WaitKind.Signal, SignalId: { } signalId }
                && _signals.TryGetValue(signalId, out var signal))
            {
                Consume(signal);
                CompleteWait(wait, SignalOutcome(signalId, ReadSignalValue(signal), wait.ResultType));
            }
            else if (wait.Record.CanceledWithRoot != 0 && _roots.TryGetValue(wait.Record.CanceledWithRoot, out var root))
            {
                // A root whose cancel request is stored starts with a canceled token, which cancels the wait at once.
                WatchCancellation(wait, root);
            }
        }
    }

    /// <summary>Starts the timers of stored delays after recovery. Delays already due complete at once.</summary>
    private void ArmRestoredDelays()
    {
        var delays = _waits.Values.Where(wait => wait.IsPendingDelay).ToList();
        if (delays.Count == 0)
        {
            return;
        }

        _logger.DelaysArmed(GrainKey, delays.Count, delays.Min(wait => wait.Record.DueTime));
        foreach (var wait in delays)
        {
            ArmDelay(wait);
        }
    }

    /// <summary>
    /// Returns the message of the error that fails a root whose frames cannot be captured. An await the checkpoint
    /// cannot store, such as a pending <see cref="Task.Delay(TimeSpan)"/> or <see cref="Task.Yield"/>, gets a pointer
    /// to the durable wait APIs, and so does a method that returns a durable wait's task without awaiting it.
    /// </summary>
    private string CheckpointFailureMessage(ActiveRoot root, Exception exception)
    {
        var methodName = root.Record.MethodName;
        if (root.Task is { } task && _waits.Values.Any(wait => wait.Leaf.Task == task))
        {
            return $"{methodName} on immortal grain {GrainKey} cannot be checkpointed: it returns the task of "
                + "ImmortalTime or ImmortalSignals without an async frame that a checkpoint could store. Make the "
                + "method async and await the task.";
        }

        if (exception is not FrameCaptureException { Failure: FrameCaptureFailure.UnsupportedAwaiter } capture
            || !IsSelfCompletingAwait(capture.LocalType))
        {
            return $"{methodName} on immortal grain {GrainKey} cannot be checkpointed: {exception.Message}";
        }

        var awaited = capture.LocalType is null ? "" : $" of {capture.LocalType}";
        return $"{methodName} on immortal grain {GrainKey} cannot be checkpointed: {capture.MethodName} is "
            + $"suspended at an await{awaited}, which a checkpoint cannot store. An await that completes by itself, "
            + "such as Task.Delay, Task.Yield or a timer, would be lost on a silo failure. For a delay that survives "
            + "failures, await ImmortalTime.Delay or ImmortalTime.DelayUntil; for a value that arrives later, await "
            + $"ImmortalSignals.WaitAsync. Details: {exception.Message}";
    }

    /// <summary>
    /// Whether an awaited type is one that completes by itself: the tasks of <c>Task.Delay</c> (with or without a
    /// time provider), the awaiter of <c>Task.Yield</c>, and timers.
    /// </summary>
    private static bool IsSelfCompletingAwait(string? awaitedType) =>
        awaitedType is not null
        && (awaitedType.Contains("Delay", StringComparison.Ordinal)
            || awaitedType.Contains("Yield", StringComparison.Ordinal)
            || awaitedType.Contains("Timer", StringComparison.Ordinal));

    /// <summary>
    /// Writes the grain's wake-up registry entry before the first checkpoint that stores a delay, so that a grain
    /// whose silo dies is woken to fire its delay without any call.
    /// </summary>
    private async Task RegisterDelaysAsync(CheckpointRecord record)
    {
        if (_delaysRegistered || !record.Waits.Any(IsStoredPendingDelay))
        {
            return;
        }

        // The sweep keeps the entry of a grain with a registered top-level root, so no second write is needed.
        if (_roots.Values.Any(root => root.Record.Origin == RootOrigin.External && root.Registered))
        {
            _delaysRegistered = true;
            return;
        }

        // A registration that gave up leaves the flag unset, so the next checkpoint tries again.
        _delaysRegistered = await _runtime.Registry.RegisterAsync(GrainId, () => _closed);
    }
}
