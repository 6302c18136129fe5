using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Immortals.Orleans.StateMachines;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Roots: methods started by external requests or deliveries, their concurrency and their results.</summary>
internal sealed partial class ImmortalActivation
{
    /// <summary>
    /// Runs the method of a plain Orleans request from a client or an ordinary grain as a root and returns its
    /// result once a stored checkpoint contains the root's end. A request id attaches a retry to the running root or
    /// returns its retained result.
    /// </summary>
    public async Task<object?> RunExternalAsync(IInvokable request, string? requestId)
    {
        ThrowIfClosed();
        var bytes = _runtime.Serializer.SerializeToArray(request);
        var hash = SHA256.HashData(bytes)[..16];
        var methodName = request.GetInterfaceName() + "." + request.GetMethodName();
        if (requestId is not null)
        {
            if (_requestResults.TryGetValue(requestId, out var retained))
            {
                // A result whose write is pending has not started its retention yet.
                if (!retained.AwaitingWrite && retained.ExpiresAt <= _runtime.TimeProvider.GetUtcNow())
                {
                    throw Expired(requestId, methodName, retained.ExpiresAt);
                }

                EnsureSameRequest(requestId, retained.RequestHash, hash, methodName);
                if (retained.AwaitingWrite)
                {
                    await retained.Stored.Task;
                }

                return Unwrap(ReadOutcome(retained.Outcome));
            }

            if (_rootsByRequestId.TryGetValue(requestId, out var running))
            {
                EnsureSameRequest(requestId, running.Record.RequestHash, hash, methodName);
                return Unwrap(await running.Completion.Task);
            }

            if (_expiredRequestIds.Contains(requestId))
            {
                throw Expired(requestId, methodName, null);
            }
        }

        var root = AddRoot(new RootRecord
        {
            Origin = RootOrigin.External,
            RequestId = requestId,
            Request = bytes,
            RequestHash = hash,
            MethodName = methodName,
        });
        root.Interleaves = Interleaves(request.GetMethod());
        ApplyPendingCancel(root);
        if (requestId is not null && !root.Interleaves && _lock.Owner is not null)
        {
            // The request waits behind a delivered call. Storing it now lets its status read pending and keeps it
            // across a silo failure, as a stored delivered request is kept.
            RequestCheckpoint();
        }

        _ = RunRootAsync(root, request, rebuilt: null);
        return Unwrap(await root.Completion.Task);
    }

    /// <summary>
    /// Takes a request delivered by an immortal caller: drops duplicates, starts new requests as roots, and returns
    /// once a stored checkpoint contains the request, or with the result when the call is already finished.
    /// </summary>
    public async Task<DeliveryReply> DeliverRequestAsync(
        GrainId caller,
        Guid callerIncarnation,
        long sequence,
        long doneBelow,
        byte[] request)
    {
        ThrowIfClosed();
        var watermark = Watermark(caller, callerIncarnation);
        Compact(watermark, doneBelow);
        var key = (caller, callerIncarnation, sequence);
        if (watermark.IsDone(sequence))
        {
            return Duplicate(caller, sequence, DeliveryStatus.Done);
        }

        if (_outbox.TryGetValue(key, out var finished))
        {
            if (!finished.Durable)
            {
                var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var closing = FailOnClose(exception => stored.TrySetException(exception));
                RequestCheckpoint(() => stored.TrySetResult());
                await stored.Task;
            }

            finished.LastPushTimestamp = Now;
            return Duplicate(caller, sequence, DeliveryStatus.Completed, finished.Outcome);
        }

        if (_rootsByCall.TryGetValue(key, out var existing))
        {
            await existing.DurableSignal.Task;
            ImmortalMetrics.DuplicatesDropped.Add(1);
            return CompletedOrAccepted(key);
        }

        var invokable = _runtime.Serializer.Deserialize<IInvokable>(request)!;
        var root = AddRoot(new RootRecord
        {
            Origin = RootOrigin.Delivered,
            Caller = caller,
            CallerIncarnation = callerIncarnation,
            CallerSequence = sequence,
            Request = request,
            MethodName = invokable.GetInterfaceName() + "." + invokable.GetMethodName(),
        });
        root.Interleaves = Interleaves(invokable.GetMethod());

        // The root starts in this turn, with the caller's RequestContext removed, so that the checkpoint after
        // this turn stores the request together with the root's first output or its result.
        RequestContext.Clear();
        root.ReplyPending = true;
        _ = RunRootAsync(root, invokable, rebuilt: null);
        RequestCheckpoint();
        await root.DurableSignal.Task;
        root.ReplyPending = false;
        return CompletedOrAccepted(key);
    }

    /// <summary>Takes an acknowledgement: the caller stored the results, so the outbox may forget them.</summary>
    public void ReceiveAcknowledgement(GrainId caller, Guid callerIncarnation, long[] sequences, long doneBelow)
    {
        if (_closed)
        {
            return;
        }

        var watermark = Watermark(caller, callerIncarnation);
        foreach (var sequence in sequences)
        {
            if (_outbox.Remove((caller, callerIncarnation, sequence)))
            {
                watermark.Done.Add(sequence);
            }
        }

        Compact(watermark, doneBelow);
        UpdateKeepAlive();
    }

    /// <summary>
    /// Returns whether the grain has roots started by clients or ordinary grains, or pending durable delays, stored or
    /// about to be stored. The registry sweep keeps the grain's entry while this is true, because the entry is written
    /// before the checkpoint that stores such a root or delay.
    /// </summary>
    public bool HasExternalWork()
    {
        if (!_closed)
        {
            ResendAll(force: true);
        }

        if (_roots.Values.Any(root => root.Record.Origin == RootOrigin.External) || HasPendingDelays)
        {
            return true;
        }

        // The sweep removes the entry after this reply, so the next delay must register the grain again.
        _delaysRegistered = false;
        return false;
    }

    private DeliveryReply CompletedOrAccepted((GrainId, Guid, long) key)
    {
        if (_outbox.TryGetValue(key, out var entry) && entry.Durable)
        {
            entry.LastPushTimestamp = Now;
            return new DeliveryReply { Status = DeliveryStatus.Completed, Outcome = entry.Outcome };
        }

        return new DeliveryReply { Status = DeliveryStatus.Accepted };
    }

    private DeliveryReply Duplicate(GrainId caller, long sequence, DeliveryStatus status, byte[]? outcome = null)
    {
        ImmortalMetrics.DuplicatesDropped.Add(1);
        _logger.DuplicateDropped(GrainKey, caller.ToString(), sequence, status.ToString());
        return new DeliveryReply { Status = status, Outcome = outcome };
    }

    private CallerWatermark Watermark(GrainId caller, Guid incarnation)
    {
        if (!_callers.TryGetValue((caller, incarnation), out var watermark))
        {
            watermark = new CallerWatermark { Caller = caller, CallerIncarnation = incarnation };
            _callers.Add((caller, incarnation), watermark);
        }

        return watermark;
    }

    /// <summary>Applies a caller's <c>doneBelow</c>: results below it are stored by the caller.</summary>
    private void Compact(CallerWatermark watermark, long doneBelow)
    {
        watermark.Advance(doneBelow);
        foreach (var key in _outbox.Keys.Where(key => key.Item1 == watermark.Caller
            && key.Item2 == watermark.CallerIncarnation && key.Item3 < doneBelow).ToList())
        {
            _outbox.Remove(key);
        }
    }

    private ActiveRoot AddRoot(RootRecord record)
    {
        record.RootId = _nextRootId++;
        var root = new ActiveRoot(record);
        _roots.Add(record.RootId, root);
        if (record.Origin == RootOrigin.Delivered)
        {
            _rootsByCall[(record.Caller, record.CallerIncarnation, record.CallerSequence)] = root;
        }
        else if (record.RequestId is not null)
        {
            _rootsByRequestId[record.RequestId] = root;
        }

        UpdateKeepAlive();
        return root;
    }

    private bool Interleaves(MethodInfo? method) =>
        _reentrant || method?.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true) == true;

    /// <summary>
    /// Runs a root to its end: waits for the grain's lock unless the root interleaves, calls the grain method (or
    /// takes the rebuilt task), and commits the outcome.
    /// </summary>
    private async Task RunRootAsync(ActiveRoot root, IInvokable? request, Task? rebuilt)
    {
        if (rebuilt is null)
        {
            if (!root.Interleaves)
            {
                await _lock.AcquireAsync(root.RootId);
            }

            if (_closed)
            {
                return;
            }

            request ??= _runtime.Serializer.Deserialize<IInvokable>(root.Record.Request)!;
            request.SetTarget(Context);
            PassCancellationToken(request, root);
            root.Record.Started = true;
            var previous = CurrentRootOwner.Value;
            CurrentRootOwner.Value = new RootScope(this, root);
            _startingRoot = root;
            _lastCallOfStartingRoot = 0;
            try
            {
                root.Task = GrainMethodInvoker.Invoke(request);
            }
            finally
            {
                CurrentRootOwner.Value = previous;
                _startingRoot = null;
            }

            if (_lastCallOfStartingRoot != 0 && IsCallTask(root.Task))
            {
                root.Record.ForwardedCall = _lastCallOfStartingRoot;
            }
        }
        else
        {
            root.Task = rebuilt;
        }

        await root.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        FinishRoot(root);
    }

    /// <summary>
    /// Whether a grain method returned the task of a call it made, without an async frame of its own: the task is
    /// an Orleans call frame.
    /// </summary>
    private static bool IsCallTask(Task task)
    {
        if (task.IsCompleted || AsyncRuntimeLayout.GetStateMachine(task) is not { } machine)
        {
            return false;
        }

        var identity = AsyncMethodIdentity.FromStateMachineType(machine.GetType());
        return OrleansFrameClassifier.Classify(identity) == FrameRole.PassThrough;
    }

    /// <summary>
    /// Releases the lock of a root whose task completed and commits its outcome, once. Called when the root's task
    /// completes and before a capture, which must not meet a completed root that it cannot store as frames.
    /// </summary>
    private void FinishRoot(ActiveRoot root)
    {
        if (root.Finished)
        {
            return;
        }

        root.Finished = true;
        if (!root.Interleaves)
        {
            _lock.Release(root.RootId);
        }

        if (!_closed && _roots.ContainsKey(root.RootId))
        {
            CompleteRoot(root, CallOutcome.FromTask(root.Task!));
        }
    }

    /// <summary>Commits the outcome of a root: to the outbox of its caller, or to the external request's reply.</summary>
    private void CompleteRoot(ActiveRoot root, CallOutcome outcome)
    {
        var record = root.Record;
        RemoveRoot(root);
        var bytes = WriteOutcome(outcome, record.MethodName);
        if (record.Origin == RootOrigin.Delivered)
        {
            var entry = new OutboxEntry
            {
                Caller = record.Caller,
                CallerIncarnation = record.CallerIncarnation,
                CallerSequence = record.CallerSequence,
                Outcome = bytes,
            };
            _outbox[(record.Caller, record.CallerIncarnation, record.CallerSequence)] = entry;
            var closing = FailOnClose(exception => root.DurableSignal.TrySetException(exception));
            RequestCheckpoint(() =>
            {
                closing.Dispose();
                entry.Durable = true;
                root.DurableSignal.TrySetResult();
                if (root.ReplyPending)
                {
                    entry.LastPushTimestamp = Now;
                    return;
                }

                _ = PushResultAsync(entry);
            });
            UpdateKeepAlive();
            return;
        }

        var committed = ReadOutcome(bytes);
        if (record.RequestId is not null)
        {
            var retained = new RetainedResult
            {
                RequestId = record.RequestId,
                RequestHash = record.RequestHash,
                Outcome = bytes,
                ExpiresAt = _runtime.TimeProvider.GetUtcNow() + _runtime.Options.RequestResultRetention,
                MethodName = record.MethodName,
                CancelRequested = record.CancelRequested,
                Canceled = record.CancelRequested
                    && outcome.Exception is OperationCanceledException canceled
                    && (!canceled.CancellationToken.CanBeCanceled
                        || (root.HasCancellationToken && canceled.CancellationToken == root.CancellationToken)),
                AwaitingWrite = true,
            };
            _requestResults[record.RequestId] = retained;
            var closing = FailOnClose(exception =>
            {
                retained.Stored.TrySetException(exception);
                root.Completion.TrySetException(exception);
            });
            RequestCheckpoint(() =>
            {
                closing.Dispose();
                retained.AwaitingWrite = false;
                retained.Stored.TrySetResult();
                root.Completion.TrySetResult(committed);
            });
            UpdateKeepAlive();
            return;
        }

        if (!root.Durable && _afterWrite.Count == 0 && FieldsUnchanged())
        {
            // A root that made no output, is unknown to storage and changed no field needs no checkpoint, unless
            // earlier outputs still wait for a write: a capture that failed leaves them for the next write.
            root.Completion.TrySetResult(committed);
            UpdateKeepAlive();
            return;
        }

        var completing = FailOnClose(exception => root.Completion.TrySetException(exception));
        RequestCheckpoint(() =>
        {
            completing.Dispose();
            root.Completion.TrySetResult(committed);
        });
        UpdateKeepAlive();
    }

    /// <summary>Fails a root whose frames cannot be captured. Its caller receives the capture error.</summary>
    private void FailRoot(ActiveRoot root, Exception exception)
    {
        _logger.CaptureFailed(GrainKey, root.RootId, root.Record.MethodName, exception);
        root.Finished = true;
        root.Failed = true;
        if (!root.Interleaves)
        {
            _lock.Release(root.RootId);
        }

        var error = new ImmortalCheckpointException(
            GrainKey,
            root.Record.MethodName,
            CheckpointFailureMessage(root, exception),
            exception);
        CompleteRoot(root, new CallOutcome { Exception = error });

        // Calls the failed root recorded but that no checkpoint stored yet never leave.
        foreach (var call in _calls.All.Where(call => call.Root == root && call.State == CallState.Held).ToList())
        {
            _calls.Remove(call.Sequence);
            call.Cancelled = true;
            call.Leaf.Complete(new CallOutcome { Exception = error });
        }
    }

    private void RemoveRoot(ActiveRoot root)
    {
        var record = root.Record;
        _roots.Remove(record.RootId);
        if (record.Origin == RootOrigin.Delivered)
        {
            _rootsByCall.Remove((record.Caller, record.CallerIncarnation, record.CallerSequence));
        }
        else if (record.RequestId is not null)
        {
            _rootsByRequestId.Remove(record.RequestId);
        }
    }

    private async Task PushResultAsync(OutboxEntry entry)
    {
        if (entry.Pushing || _closed)
        {
            return;
        }

        entry.Pushing = true;
        entry.LastPushTimestamp = Now;
        try
        {
            var status = await ExtensionOf(entry.Caller).DeliverResult(
                GrainId,
                entry.CallerIncarnation,
                entry.CallerSequence,
                entry.Outcome);
            if (status == DeliveryStatus.Acknowledged)
            {
                ReceiveAcknowledgement(entry.Caller, entry.CallerIncarnation, [entry.CallerSequence], 0);
            }
        }
        catch (Exception exception)
        {
            _logger.ResultPushFailed(GrainKey, entry.Caller.ToString(), entry.CallerSequence, exception);
        }
        finally
        {
            entry.Pushing = false;
        }
    }

    private void EnsureSameRequest(string requestId, byte[] stored, byte[] received, string methodName)
    {
        if (!stored.AsSpan().SequenceEqual(received))
        {
            throw new ImmortalRequestIdConflictException(
                GrainKey,
                methodName,
                $"Request id '{requestId}' on immortal grain {GrainKey} was first used for another method or other "
                + "arguments; use a new request id for a new request.");
        }
    }

    private static object? Unwrap(CallOutcome outcome)
    {
        if (outcome.Exception is not null)
        {
            ExceptionDispatchInfo.Capture(outcome.Exception).Throw();
        }

        return outcome.Value;
    }
}
