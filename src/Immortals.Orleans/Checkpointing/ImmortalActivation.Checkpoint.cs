using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Immortals.Orleans.StateMachines;
using Orleans.Storage;

namespace Immortals.Orleans.Checkpointing;

/// <summary>The checkpoint writer: group commit, capture, conditional writes and fencing.</summary>
internal sealed partial class ImmortalActivation
{
    // NOTE: an estimate. A capture deferred this many times in a row (about half a second with the retry delay)
    // fails the roots it cannot capture, so that an unsupported Task.WhenAll input fails its root in the end.
    private const int MaxDeferredCaptures = 40;
    private static readonly TimeSpan DeferredCaptureDelay = TimeSpan.FromMilliseconds(10);

    private readonly List<Action> _afterWrite = [];
    private readonly List<TaskCompletionSource> _optionalWaiters = [];
    private int _deferredCaptures;
    private bool _checkpointRequested;
    private bool _outputCheckpointRequested;
    private bool _writerRunning;
    private Task _writerTask = Task.CompletedTask;
    private string? _etag;
    private byte[]? _lastFields;

    /// <summary>
    /// Asks for a checkpoint after the current turn and runs <paramref name="afterDurable"/> once a stored
    /// checkpoint contains the current state. At most one write is in flight, and requests made meanwhile share the
    /// next write (group commit).
    /// </summary>
    private void RequestCheckpoint(Action? afterDurable = null)
    {
        if (_closed)
        {
            return;
        }

        if (afterDurable is not null)
        {
            _afterWrite.Add(afterDurable);
        }

        _outputCheckpointRequested = true;
        StartWriter();
    }

    /// <summary>
    /// Asks for a checkpoint that only a status change (a cancel request) needs, and completes
    /// <paramref name="waiter"/> once a stored checkpoint contains the current state. When no output shares the write
    /// and a root cannot be captured at its current await, the write is skipped and the waiter fails with a
    /// <see cref="FrameCaptureException"/> instead of failing that root.
    /// </summary>
    private void RequestOptionalCheckpoint(TaskCompletionSource waiter)
    {
        if (_closed)
        {
            return;
        }

        _optionalWaiters.Add(waiter);
        StartWriter();
    }

    private void StartWriter()
    {
        _checkpointRequested = true;
        if (_writerRunning)
        {
            return;
        }

        _writerRunning = true;
        _writerTask = Queue(RunWriterAsync);
    }

    private async Task RunWriterAsync()
    {
        try
        {
            while (_checkpointRequested && !_closed)
            {
                _checkpointRequested = false;
                var started = Now;
                var actions = _afterWrite.ToArray();
                _afterWrite.Clear();
                var optionalWaiters = _optionalWaiters.ToArray();
                _optionalWaiters.Clear();
                var optionalOnly = !_outputCheckpointRequested;
                _outputCheckpointRequested = false;
                CapturedCheckpoint? captured;
                try
                {
                    captured = Capture(failUncapturableRoots: !optionalOnly);

                    // Roots that the capture finished or failed registered their replies just now, and this record
                    // already contains their outcomes, so the replies go out after this write, not the next one.
                    if (_afterWrite.Count > 0)
                    {
                        actions = [.. actions, .. _afterWrite];
                        _afterWrite.Clear();
                    }

                    if (captured is not null)
                    {
                        // The record covers every change made up to the end of the capture, so checkpoints requested
                        // during it need no write of their own.
                        _checkpointRequested = false;
                        _outputCheckpointRequested = false;
                    }

                    if (captured is not null)
                    {
                        await RegisterExternalRootsAsync(captured.Roots);
                        await RegisterDelaysAsync(captured.Record);
                    }
                }
                catch (Exception exception) when (
                    optionalOnly && exception is FrameCaptureException or FrameCaptureDeferredException)
                {
                    _afterWrite.InsertRange(0, actions);
                    foreach (var waiter in optionalWaiters)
                    {
                        waiter.TrySetException(exception);
                    }

                    continue;
                }
                catch (Exception) when (!_closed)
                {
                    // Nothing was stored, so the waiting actions belong to the next write that stores the state.
                    _afterWrite.InsertRange(0, actions);
                    _optionalWaiters.InsertRange(0, optionalWaiters);
                    throw;
                }

                if (captured is null)
                {
                    // Deferred: the same waiters and actions wait for the next attempt.
                    _afterWrite.InsertRange(0, actions);
                    _optionalWaiters.InsertRange(0, optionalWaiters);
                    _outputCheckpointRequested |= !optionalOnly;
                    _checkpointRequested = true;
                    await WaitForQueuedContinuationsAsync();
                    continue;
                }

                if (!await WriteAsync(captured.Record, _stopping.Token))
                {
                    return;
                }

                ImmortalMetrics.CheckpointLatency.Record(Since(started).TotalSeconds);
                Commit(captured);
                foreach (var action in actions)
                {
                    action();
                }

                foreach (var waiter in optionalWaiters)
                {
                    waiter.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _writerRunning = false;
        }
    }

    /// <summary>
    /// Lets the continuations queued before this turn run, so that a deferred capture finds the inputs of its task
    /// combinators settled. The first retries only yield, because the activation's scheduler runs work in order;
    /// later ones wait a little for completions queued to the thread pool.
    /// </summary>
    private async Task WaitForQueuedContinuationsAsync()
    {
        if (_deferredCaptures <= 2)
        {
            await Task.Yield();
            return;
        }

        await Task.Delay(DeferredCaptureDelay, _runtime.TimeProvider, _stopping.Token);
    }

    /// <summary>
    /// Builds the record of the current state. With <paramref name="failUncapturableRoots"/>, roots whose frames
    /// cannot be captured fail with the capture error, so that the grain's other roots are still stored; without it
    /// the capture error is thrown and no root changes. Returns <see langword="null"/> when the capture must be
    /// retried after queued continuations have run.
    /// </summary>
    private CapturedCheckpoint? Capture(bool failUncapturableRoots)
    {
        foreach (var root in _roots.Values.Where(root => root.Task is { IsCompleted: true }).ToList())
        {
            FinishRoot(root);
        }

        ExpireRequestResults(_runtime.TimeProvider.GetUtcNow());

        while (true)
        {
            try
            {
                var captured = CaptureOnce();
                _deferredCaptures = 0;
                return captured;
            }
            catch (FrameCaptureDeferredException deferred) when (_deferredCaptures < MaxDeferredCaptures)
            {
                _deferredCaptures++;
                _logger.CaptureDeferred(GrainKey, _deferredCaptures, deferred.Failure.MethodName, deferred.Failure.Message);
                return null;
            }
            catch (Exception exception) when (exception is FrameCaptureException or FrameCaptureDeferredException)
            {
                var failing = FindUncapturableRoots();
                if (failing.Count == 0 || !failUncapturableRoots)
                {
                    throw;
                }

                foreach (var (root, error) in failing)
                {
                    FailRoot(root, error);
                }
            }
        }
    }

    private CapturedCheckpoint CaptureOnce()
    {
        // NOTE: a grain field that cannot be serialized fails every capture, so the grain's outputs stay held.
        var (names, values) = GrainFieldStore.Read(Grain);
        var fields = _runtime.Serializer.SerializeToArray(values);
        var record = new CheckpointRecord
        {
            Incarnation = _incarnation,
            NextSequence = _nextSequence,
            NextRootId = _nextRootId,
            FieldNames = names,
            Fields = fields,
        };

        var suspended = SuspendedRoots();
        var referenced = new HashSet<long>(
            _roots.Values.Select(root => root.Record.ForwardedCall).Where(sequence => sequence != 0));
        if (suspended.Count > 0)
        {
            // With frames, the fields travel inside the snapshot, in the serializer session of the locals, so that
            // a local and a field that refer to one object still do after recovery.
            record.Frames = _runtime.Engine.Capture(CaptureRequest(suspended, values));
            record.FieldsInFrames = true;
            record.Fields = [];
            foreach (var leaf in FrameSnapshotCodec.Read(record.Frames).Leaves)
            {
                referenced.Add(leaf.LeafId);
            }
        }

        var received = new List<PendingCall>();
        var dropped = new List<PendingCall>();
        foreach (var call in _calls.All)
        {
            if (call.State == CallState.Received)
            {
                received.Add(call);
            }

            if (call.HasResult && !referenced.Contains(call.Sequence))
            {
                dropped.Add(call);
                continue;
            }

            record.Calls.Add(call.Record);
        }

        CaptureWaits(record, referenced);
        var roots = _roots.Values.ToList();
        record.Roots = [.. roots.Select(root => root.Record.Copy())];
        var outbox = _outbox.Values.ToList();
        record.Outbox = outbox;
        record.Callers = [.. _callers.Values];
        record.RequestResults = [.. _requestResults.Values];
        record.ExpiredRequestIds = _expiredRequestIds;
        record.PendingCancels = [.. _pendingCancels.Values];
        _capturedRequests = CapturedRequestState.Of(roots, _pendingCancels.Keys);
        return new CapturedCheckpoint(record, fields, roots, received, dropped, outbox);
    }

    private List<ActiveRoot> SuspendedRoots() =>
        [.. _roots.Values.Where(root => root.Record.Started && root.Record.ForwardedCall == 0
            && root.Task is { IsCompleted: false })];

    private FrameCaptureRequest CaptureRequest(IEnumerable<ActiveRoot> roots, object?[]? fieldValues = null)
    {
        var request = new FrameCaptureRequest
        {
            Owner = Grain,
            Classify = OrleansFrameClassifier.Classify,
            OwnerValues = fieldValues ?? [],
        };
        foreach (var root in roots)
        {
            request.AddRoot(root.RootId, root.Task!);
        }

        foreach (var call in _calls.All)
        {
            request.AddLeaf(call.Sequence, call.Leaf.Task);
        }

        foreach (var root in _roots.Values.Where(root => root.HasCancellationToken))
        {
            request.AddCancellationToken(root.RootId, root.CancellationToken);
        }

        AddWaitLeaves(request);
        return request;
    }

    private List<(ActiveRoot Root, Exception Error)> FindUncapturableRoots()
    {
        var failing = new List<(ActiveRoot, Exception)>();
        foreach (var root in SuspendedRoots())
        {
            try
            {
                _runtime.Engine.Capture(CaptureRequest([root]));
            }
            catch (FrameCaptureException exception)
            {
                failing.Add((root, exception));
            }
            catch (FrameCaptureDeferredException exception)
            {
                failing.Add((root, exception.Failure));
            }
        }

        return failing;
    }

    /// <summary>
    /// Writes the grain's wake-up registry entry before the first checkpoint that stores a root started by a client
    /// or an ordinary grain. Writing it first leaves no moment in which such a root is stored but the grain is not
    /// registered, so a silo failure right after the checkpoint cannot strand the root.
    /// </summary>
    private async Task RegisterExternalRootsAsync(IReadOnlyList<ActiveRoot> roots)
    {
        var unregistered = roots.Where(root => root.Record.Origin == RootOrigin.External && !root.Registered).ToList();
        if (unregistered.Count == 0)
        {
            return;
        }

        // A root stored without a registry entry would have nothing to wake it after a silo failure, so the write
        // waits until the entry is stored, as it waits for storage that is down. A closed activation writes nothing.
        while (!await _runtime.Registry.RegisterAsync(GrainId, () => _closed))
        {
            if (_closed)
            {
                return;
            }
        }

        foreach (var root in unregistered)
        {
            root.Registered = true;
        }
    }

    /// <summary>Applies a successful write: roots become durable, results are acknowledged, and completed calls no frame refers to leave the cache.</summary>
    private void Commit(CapturedCheckpoint captured)
    {
        CommitRequestState();
        _durableNextSequence = captured.Record.NextSequence;
        _lastFields = captured.Fields;
        foreach (var root in captured.Roots)
        {
            root.Durable = true;
            root.DurableSignal.TrySetResult();
        }

        foreach (var call in captured.ReceivedCalls)
        {
            call.State = CallState.Durable;
        }

        foreach (var call in captured.DroppedCalls)
        {
            _calls.Remove(call.Sequence);
        }

        foreach (var entry in captured.Outbox)
        {
            entry.Durable = true;
        }

        Acknowledge(captured.ReceivedCalls);
        CommitWaits(captured.Record);
        UpdateKeepAlive();
        _logger.CheckpointWritten(
            GrainKey,
            captured.Record.Fields.Length + (captured.Record.Frames?.Length ?? 0),
            captured.Record.NextSequence,
            captured.Record.Roots.Count,
            captured.Record.Calls.Count);
    }

    /// <summary>Whether the grain's stored fields serialize to the bytes of the last stored checkpoint.</summary>
    private bool FieldsUnchanged()
    {
        if (_lastFields is null)
        {
            return false;
        }

        var (_, values) = GrainFieldStore.Read(Grain);
        try
        {
            return _runtime.Serializer.SerializeToArray(values).AsSpan().SequenceEqual(_lastFields);
        }
        catch (Exception)
        {
            // A field that cannot be serialized now: the checkpoint that follows reports it.
            return false;
        }
    }

    /// <summary>
    /// Writes a record under the ETag of the last one. Storage failures are retried with backoff while outputs stay
    /// held. On an ETag conflict the record is read back. If it carries this write's id, the write succeeded and
    /// only its response was lost. Otherwise another activation owns the grain, and this one closes.
    /// </summary>
    /// <returns><see langword="true"/> when the record is stored; <see langword="false"/> when this activation is stale.</returns>
    private async Task<bool> WriteAsync(CheckpointRecord record, CancellationToken cancellationToken)
    {
        record.WriteId = Guid.NewGuid();
        var delay = _runtime.Options.StorageRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (_closed)
            {
                return false;
            }

            var state = new GrainState<CheckpointRecord>(record) { ETag = _etag, RecordExists = _etag is not null };
            try
            {
                await _runtime.Storage.WriteStateAsync(StateName, GrainId, state);
                _etag = state.ETag;
                ImmortalMetrics.CheckpointsWritten.Add(1);
                ImmortalMetrics.CheckpointBytes.Add(record.Fields.Length + (record.Frames?.Length ?? 0));
                return true;
            }
            catch (InconsistentStateException)
            {
                var stored = await TryReadAsync();
                if (stored is { RecordExists: true } && stored.State?.WriteId == record.WriteId)
                {
                    _logger.AmbiguousWriteSucceeded(GrainKey);
                    _etag = stored.ETag;
                    ImmortalMetrics.CheckpointsWritten.Add(1);
                    return true;
                }

                if (stored is not null)
                {
                    Close(stale: true);
                    return false;
                }

                _logger.CheckpointRetry(GrainKey, attempt, delay, new InvalidOperationException(
                    "The checkpoint could not be read back after an ETag conflict."));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.CheckpointRetry(GrainKey, attempt, delay, exception);
            }

            await Task.Delay(delay, _runtime.TimeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerMinute));
        }
    }

    private async Task<GrainState<CheckpointRecord>?> TryReadAsync()
    {
        try
        {
            var state = new GrainState<CheckpointRecord>();
            await _runtime.Storage.ReadStateAsync(StateName, GrainId, state);
            return state;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.BackgroundFailed(GrainKey, exception);
            return null;
        }
    }

    /// <summary>Cancels the activation's loops and fails every message that waits for a checkpoint.</summary>
    private void FailWaiters()
    {
        _stopping.Cancel();
        _afterWrite.Clear();
        var closing = new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed; send the message again.");
        foreach (var root in _roots.Values)
        {
            root.DurableSignal.TrySetException(closing);
            root.Completion.TrySetException(closing);
        }
    }

    /// <summary>
    /// Stops every output of this activation: no more writes, calls, results or replies. A stale activation also
    /// deactivates and sends one wake-up to its grain, so that the current owner keeps the grain's work going.
    /// </summary>
    private void Close(bool stale)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        FailWaiters();

        if (!stale)
        {
            return;
        }

        _logger.StaleActivation(GrainKey);
        Context.Deactivate(new DeactivationReason(
            DeactivationReasonCode.ApplicationRequested,
            $"Another activation of immortal grain {GrainKey} stored a newer checkpoint."));
        var grainId = GrainId;
        var runtime = _runtime;
        var deactivated = Context.Deactivated;
        _ = Task.Run(async () =>
        {
            try
            {
                await deactivated.WaitAsync(runtime.Options.RecoveryTimeout);
                await runtime.GrainFactory.GetGrain(grainId).AsReference<IImmortalDeliveryExtension>().Wake();
            }
            catch (Exception exception)
            {
                runtime.Logger.WakeFailed(grainId.ToString(), exception);
            }
        });
    }
}
