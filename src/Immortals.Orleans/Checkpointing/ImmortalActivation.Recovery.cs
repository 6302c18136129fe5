using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Immortals.Orleans.StateMachines;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Activation and deactivation: recovery from the checkpoint, fencing, and closing.</summary>
internal sealed partial class ImmortalActivation
{
    /// <summary>
    /// Recovers the grain in its lifecycle, before any message is served: reads the checkpoint, fences it by writing
    /// it back under a new write id, restores fields and calls, rebuilds the suspended methods and restarts the rest.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = TaskScheduler.Current;
        _runtime.Track(this);

        // Orleans imports the RequestContext of the message that caused the activation. Recovered work must not
        // inherit it.
        RequestContext.Clear();
        using var recovery = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        recovery.CancelAfter(_runtime.Options.RecoveryTimeout);
        try
        {
            var state = await ReadAsync(recovery.Token);
            if (!state.RecordExists || state.State is null)
            {
                _incarnation = Guid.NewGuid();
                StartBackgroundWork();
                return;
            }

            _etag = state.ETag;
            var record = state.State;
            if (!await WriteAsync(record, recovery.Token))
            {
                throw new ImmortalRecoveryException(
                    GrainKey,
                    null,
                    $"Another activation of immortal grain {GrainKey} wrote its checkpoint during recovery; this "
                    + "activation gives way to it.");
            }

            await RestoreAsync(record);
            ImmortalMetrics.Restores.Add(1);
            _logger.Restored(GrainKey, _incarnation, _roots.Count, _calls.Count, _outbox.Count);
            StartBackgroundWork();
            _ = Queue(() =>
            {
                ResumeAfterRecovery();
                return Task.CompletedTask;
            });
        }
        catch (Exception exception)
        {
            _logger.RecoveryFailed(GrainKey, exception);
            _closed = true;
            _stopping.Cancel();
            _runtime.Untrack(this);
            if (exception is ImmortalRecoveryException)
            {
                throw;
            }

            throw new ImmortalRecoveryException(
                GrainKey,
                null,
                $"Immortal grain {GrainKey} could not be recovered from its checkpoint: {exception.Message} The "
                + "checkpoint is unchanged; the next call or probe tries again.",
                exception);
        }
    }

    /// <summary>
    /// Closes the activation when Orleans deactivates it: no more outputs, loops cancelled, and the write in flight
    /// awaited so that the next activation reads the final state.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_roots.Count > 0 && !_closed)
        {
            _logger.DeactivatingWithRoots(GrainKey, _roots.Count, "deactivation");
        }

        var writer = _writerTask;
        Close(stale: false);
        _runtime.Untrack(this);
        try
        {
            await writer.WaitAsync(cancellationToken);
        }
        catch (Exception)
        {
            // The writer logs its own failures. A cancelled wait leaves the write to finish on its own.
        }
    }

    private void StartBackgroundWork() => Queue(RunResendLoopAsync);

    private async Task<GrainState<CheckpointRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        var delay = _runtime.Options.StorageRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var state = new GrainState<CheckpointRecord>();
                await _runtime.Storage.ReadStateAsync(StateName, GrainId, state);
                return state;
            }
            catch (Exception exception) when (exception is not OperationCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                _logger.CheckpointRetry(GrainKey, attempt, delay, exception);
            }

            await Task.Delay(delay, _runtime.TimeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond * 5));
        }
    }

    private async Task RestoreAsync(CheckpointRecord record)
    {
        if (record.Format != CheckpointRecord.CurrentFormat)
        {
            throw new ImmortalRecoveryException(GrainKey, null, $"The checkpoint of immortal grain {GrainKey} has "
                + $"format {record.Format}; this version of the plugin reads format {CheckpointRecord.CurrentFormat}.");
        }

        _incarnation = record.Incarnation;
        _nextSequence = record.NextSequence;
        _durableNextSequence = record.NextSequence;
        _nextRootId = record.NextRootId;
        if (!record.FieldsInFrames)
        {
            _lastFields = record.Fields;
            var values = _runtime.Serializer.Deserialize<object?[]>(record.Fields) ?? [];
            GrainFieldStore.Write(Grain, record.FieldNames, values);
        }

        foreach (var stored in record.Calls)
        {
            var state = stored.Outcome is null ? CallState.Sent : CallState.Durable;
            _calls.Add(new PendingCall(stored, LeafCompletion.Create(typeof(object)), state));
        }

        foreach (var entry in record.Outbox)
        {
            entry.Durable = true;
            _outbox[(entry.Caller, entry.CallerIncarnation, entry.CallerSequence)] = entry;
        }

        foreach (var watermark in record.Callers)
        {
            _callers[(watermark.Caller, watermark.CallerIncarnation)] = watermark;
        }

        foreach (var result in record.RequestResults)
        {
            _requestResults[result.RequestId] = result;
        }

        _expiredRequestIds = record.ExpiredRequestIds ?? new ExpiredRequestIds();
        foreach (var pending in record.PendingCancels ?? [])
        {
            _pendingCancels[pending.RequestId] = pending;
        }

        _storedRequests = CapturedRequestState.Of(record.Roots, _pendingCancels.Keys);

        RestoreWaits(record);
        var roots = new List<ActiveRoot>();
        foreach (var stored in record.Roots.OrderBy(root => root.RootId))
        {
            var root = new ActiveRoot(stored) { Durable = true };
            root.DurableSignal.TrySetResult();
            if (stored.CancelRequested)
            {
                // The token is canceled before any frame is rebuilt, so a rebuilt method observes the cancellation
                // when it resumes.
                _logger.RestoredCanceled(GrainKey, stored.RootId);
                root.CancelStored = true;
                root.Cancel();
            }

            root.Interleaves = Interleaves(_runtime.Serializer.Deserialize<IInvokable>(stored.Request)!.GetMethod());
            _roots.Add(stored.RootId, root);
            if (stored.Origin == RootOrigin.Delivered)
            {
                _rootsByCall[(stored.Caller, stored.CallerIncarnation, stored.CallerSequence)] = root;
            }
            else if (stored.RequestId is not null)
            {
                _rootsByRequestId[stored.RequestId] = root;
            }

            roots.Add(root);
        }

        var rebuilt = await RebuildFramesAsync(record);
        foreach (var root in roots.Where(root => root.Record.Started))
        {
            if (root.Record.ForwardedCall != 0 && _calls.TryGet(root.Record.ForwardedCall, out var forwarded))
            {
                if (!root.Interleaves)
                {
                    _lock.Restore(root.RootId);
                }

                _ = RunRootAsync(root, null, forwarded.Leaf.Task);
                continue;
            }

            if (!rebuilt.TryGetValue(root.RootId, out var task))
            {
                // A started root without frames had not suspended yet. It runs again from its request.
                root.Record.Started = false;
                continue;
            }

            if (!root.Interleaves)
            {
                _lock.Restore(root.RootId);
            }

            _ = RunRootAsync(root, null, task);
        }

        foreach (var root in roots.Where(root => !root.Record.Started))
        {
            _ = RunRootAsync(root, null, null);
        }

        foreach (var call in _calls.All.Where(call => call.State == CallState.Durable))
        {
            call.Leaf.Complete(ReadOutcome(call.Record.Outcome!));
        }

        CompleteRestoredWaits();
        UpdateKeepAlive();
    }

    private async Task<IReadOnlyDictionary<long, Task>> RebuildFramesAsync(CheckpointRecord record)
    {
        if (record.Frames is null)
        {
            return new Dictionary<long, Task>();
        }

        var previous = CurrentRootOwner.Value;
        CurrentRootOwner.Value = new RootScope(this, null);
        try
        {
            return await _runtime.Engine.RebuildAsync(record.Frames, new FrameRebuildRequest
            {
                Owner = Grain,
                Scheduler = Scheduler,
                CreateLeaf = CreateLeaf,
                ResolveCancellationToken = rootId =>
                    _roots.TryGetValue(rootId, out var root) ? root.CancellationToken : null,
                OwnerValueCount = record.FieldsInFrames ? record.FieldNames.Length : 0,
                RestoreOwnerValues = record.FieldsInFrames
                    ? values => GrainFieldStore.Write(Grain, record.FieldNames, values)
                    : null,
            });
        }
        catch (FrameRebuildException exception)
        {
            throw new ImmortalRecoveryException(
                GrainKey,
                exception.MethodName,
                $"The suspended methods of immortal grain {GrainKey} cannot be rebuilt: {exception.Message} Deploy "
                + "the code that wrote the checkpoint, or let its running methods finish before changing them.",
                exception);
        }
        finally
        {
            CurrentRootOwner.Value = previous;
        }
    }

    private Task CreateLeaf(LeafRequest leaf)
    {
        if (CreateWaitLeaf(leaf) is { } waitTask)
        {
            return waitTask;
        }

        if (!_calls.TryGet(leaf.LeafId, out var call))
        {
            throw new ImmortalRecoveryException(
                GrainKey,
                null,
                $"The checkpoint of immortal grain {GrainKey} has a frame awaiting call {leaf.LeafId}, which it does "
                + "not record.");
        }

        call.Leaf = LeafCompletion.Create(leaf.ResultType);
        return call.Leaf.Task;
    }

    /// <summary>
    /// Sends again what the previous activation may not have sent: calls without a result, results not
    /// acknowledged, and acknowledgements of stored results. Also registers external work for wake-up.
    /// </summary>
    private void ResumeAfterRecovery()
    {
        if (_closed)
        {
            return;
        }

        foreach (var call in _calls.All.Where(call => call.State == CallState.Sent))
        {
            ImmortalMetrics.Resends.Add(1);
            _logger.CallResent(GrainKey, call.Sequence, call.Record.Target.ToString());
            Send(call);
        }

        foreach (var entry in _outbox.Values)
        {
            _ = PushResultAsync(entry);
        }

        Acknowledge([.. _calls.All.Where(call => call.State == CallState.Durable)]);
        ArmRestoredDelays();
        if (_roots.Values.Any(root => root.Record.Origin == RootOrigin.External) || HasPendingDelays)
        {
            foreach (var root in _roots.Values)
            {
                root.Registered = true;
            }

            _delaysRegistered = true;

            _ = _runtime.Registry.EnsureRegisteredAsync(GrainId, () => _closed);
        }
    }
}
