using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Filters;
using Orleans.CodeGeneration;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Outgoing calls: interception, output commit, delivery, results and acknowledgements.</summary>
internal sealed partial class ImmortalActivation
{
    /// <summary>
    /// Records a call made by grain code and completes it with the call's result. Nothing is sent until a stored
    /// checkpoint contains the call. The frame that made the call awaits this method's task through Orleans' frames.
    /// </summary>
    public async Task<object?> InterceptAsync(GrainId target, GrainInterfaceType interfaceType, IInvokable request)
    {
        ThrowIfClosed();
        var root = CurrentRootOwner.Value?.Root;
        if (root is { Failed: true })
        {
            throw new ImmortalCheckpointException(
                GrainKey,
                root.Record.MethodName,
                $"{root.Record.MethodName} on immortal grain {GrainKey} failed because it could not be checkpointed; "
                + "it makes no more calls.");
        }

        var record = new CallRecord
        {
            Sequence = _nextSequence++,
            Target = target,
            InterfaceType = interfaceType.ToString(),
            TargetIsImmortal = _runtime.IsImmortal(target.Type)
                && CallInterception.IsUserCall(target, request.GetInterfaceType()),
            Request = _runtime.Serializer.SerializeToArray<IInvokable>(request),
            MethodName = request.GetInterfaceName() + "." + request.GetMethodName(),
            OneWay = IsOneWay(request),
        };
        var call = new PendingCall(record, LeafCompletion.Create(typeof(object)), CallState.Held) { Root = root };
        _calls.Add(call);
        if (_startingRoot is not null)
        {
            _lastCallOfStartingRoot = record.Sequence;
        }

        UpdateKeepAlive();
        RequestCheckpoint(() =>
        {
            if (call.State == CallState.Held)
            {
                call.State = CallState.Sent;
            }

            Send(call);
        });

        if (record.OneWay)
        {
            // Orleans runs the filters of a [OneWay] call and discards their task, and the grain code already has a
            // completed task. The recorded call still goes out after the checkpoint, and stays until it is stored.
            _logger.OneWayRecorded(GrainKey, record.Sequence, record.Target.ToString());
            return null;
        }

        return await ((Task<object?>)call.Leaf.Task);
    }

    /// <summary>
    /// Returns whether a request is for a <c>[OneWay]</c> method. Orleans 10.4.2 sets
    /// <see cref="InvokeMethodOptions.OneWay"/> on <see cref="RequestBase.Options"/> in memory. The property is not
    /// serialized, so a stored request no longer shows it, and <see cref="CallRecord.OneWay"/> keeps it instead.
    /// </summary>
    private static bool IsOneWay(IInvokable request) =>
        request is RequestBase { Options: var options } && (options & InvokeMethodOptions.OneWay) != 0;

    /// <summary>
    /// Finishes a one-way call whose request the callee has stored: it completes with no value, so the next
    /// checkpoint stores it as done and the call is never sent again.
    /// </summary>
    private void FinishOneWay(PendingCall call, DeliveryStatus status)
    {
        _logger.OneWayStored(GrainKey, call.Sequence, call.Record.Target.ToString(), status.ToString());
        AcceptResult(call, WriteOutcome(new CallOutcome(), call.Record.MethodName));
    }

    /// <summary>
    /// Returns the outcome to store for a call: the callee's, or no value for a one-way call, whose outcome (an
    /// exception included) Orleans drops.
    /// </summary>
    private byte[] OutcomeToStore(PendingCall call, byte[] outcome) =>
        call.Record.OneWay ? WriteOutcome(new CallOutcome(), call.Record.MethodName) : outcome;

    /// <summary>
    /// Returns whether an exception shows that Orleans did not deliver a request or did not return its response:
    /// a rejected message (<see cref="SiloUnavailableException"/> included) or a response timeout. Any other
    /// exception, an activation failure included, is the callee's outcome.
    /// </summary>
    private static bool IsDeliveryFailure(Exception exception) =>
        exception is TimeoutException or OrleansMessageRejectionException;

    private void Send(PendingCall call)
    {
        if (call.HasResult || call.Cancelled || _closed)
        {
            return;
        }

        call.LastSentTimestamp = Now;
        if (call.ResendDelay == TimeSpan.Zero)
        {
            call.ResendDelay = _runtime.Options.ResendDelay;
        }

        if (call.Record.TargetIsImmortal)
        {
            _ = DeliverAsync(call);
        }
        else
        {
            _ = SendToOrdinaryGrainAsync(call);
        }
    }

    private async Task DeliverAsync(PendingCall call)
    {
        if (call.Sending)
        {
            return;
        }

        call.Sending = true;
        try
        {
            var doneBelow = _calls.DoneBelow(call.Record.Target, _durableNextSequence);
            var reply = await ExtensionOf(call.Record.Target).DeliverRequest(
                GrainId,
                _incarnation,
                call.Sequence,
                doneBelow,
                call.Record.Request);
            if (reply.Status == DeliveryStatus.Completed && reply.Outcome is { } outcome)
            {
                AcceptResult(call, OutcomeToStore(call, outcome));
            }
            else if (call.Record.OneWay && reply.Status is DeliveryStatus.Accepted or DeliveryStatus.Done)
            {
                FinishOneWay(call, reply.Status);
            }
            else if (reply.Status == DeliveryStatus.Done && !call.HasResult)
            {
                _logger.UnexpectedResult(GrainKey, call.Sequence, call.Record.Target.ToString(), "done without result");
            }
        }
        catch (Exception exception)
        {
            _logger.DeliveryFailed(GrainKey, call.Sequence, call.Record.Target.ToString(), exception);
        }
        finally
        {
            call.Sending = false;
        }
    }

    private async Task SendToOrdinaryGrainAsync(PendingCall call)
    {
        if (call.Sending)
        {
            return;
        }

        call.Sending = true;
        CallOutcome outcome;
        try
        {
            var request = _runtime.Serializer.Deserialize<IInvokable>(call.Record.Request)!;
            var reference = (GrainReference)_runtime.GrainFactory.GetGrain(
                call.Record.Target,
                GrainInterfaceType.Create(call.Record.InterfaceType));
            var options = request is RequestBase requestBase ? requestBase.Options : InvokeMethodOptions.None;
            PluginSend.Value = true;
            if (call.Record.OneWay)
            {
                // A one-way message that Orleans drops raises no error. Sent as a plain request, a rejected message
                // or a response timeout comes back as an error, and the call stays pending and is sent again, so the
                // callee runs it at least once. The caller's method does not wait for this response.
                options &= ~InvokeMethodOptions.OneWay;
            }

            var value = await _runtime.ReferenceRuntime.InvokeMethodAsync<object>(reference, request, options);
            outcome = new CallOutcome { Value = value };
        }
        catch (Exception exception) when (call.Record.OneWay && IsDeliveryFailure(exception))
        {
            // No code reads the outcome of a one-way call, so a message that did not arrive is sent again.
            _logger.OneWayDeliveryFailed(GrainKey, call.Sequence, call.Record.Target.ToString(), exception);
            return;
        }
        catch (Exception exception)
        {
            outcome = new CallOutcome { Exception = exception };
        }
        finally
        {
            PluginSend.Value = false;
            call.Sending = false;
        }

        if (!_closed)
        {
            AcceptResult(call, WriteOutcome(outcome, call.Record.MethodName));
        }
    }

    /// <summary>Takes a result delivered by a callee.</summary>
    public DeliveryStatus ReceiveResult(GrainId callee, Guid incarnation, long sequence, byte[] outcome)
    {
        ThrowIfClosed();
        if (incarnation != _incarnation)
        {
            _logger.UnexpectedResult(GrainKey, sequence, callee.ToString(), "unknown incarnation");
            return DeliveryStatus.Acknowledged;
        }

        if (!_calls.TryGet(sequence, out var call))
        {
            // A call below the next sequence number that is no longer cached was consumed, and a stored
            // checkpoint already reflects that, because entries leave the cache only after such a write.
            var status = sequence < _durableNextSequence ? DeliveryStatus.Acknowledged : DeliveryStatus.Received;
            _logger.UnexpectedResult(GrainKey, sequence, callee.ToString(), status.ToString());
            return status;
        }

        AcceptResult(call, OutcomeToStore(call, outcome));
        return call.State == CallState.Durable ? DeliveryStatus.Acknowledged : DeliveryStatus.Received;
    }

    /// <summary>
    /// Puts a result into the call cache and resumes the awaiting frame from a work item of its own, with an empty
    /// <c>RequestContext</c>. The result becomes durable with the next checkpoint, which is requested after the
    /// frame had a chance to run, so that its next output shares that checkpoint.
    /// </summary>
    private void AcceptResult(PendingCall call, byte[] outcome)
    {
        if (call.HasResult || _closed)
        {
            return;
        }

        call.Record.Outcome = outcome;
        call.State = CallState.Received;
        var leaf = call.Leaf;
        Queue(() =>
        {
            RequestContext.Clear();
            leaf.Complete(ReadOutcome(outcome));
            Queue(() =>
            {
                RequestCheckpoint();
                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        });
    }

    /// <summary>Tells callees that a stored checkpoint now contains their results.</summary>
    private void Acknowledge(IReadOnlyList<PendingCall> stored)
    {
        foreach (var group in stored.Where(call => call.Record.TargetIsImmortal).GroupBy(call => call.Record.Target))
        {
            var target = group.Key;
            var sequences = group.Select(call => call.Sequence).ToArray();
            var doneBelow = _calls.DoneBelow(target, _durableNextSequence);
            _ = AcknowledgeAsync(target, sequences, doneBelow);
        }
    }

    private async Task AcknowledgeAsync(GrainId target, long[] sequences, long doneBelow)
    {
        try
        {
            await ExtensionOf(target).Acknowledge(GrainId, _incarnation, sequences, doneBelow);
        }
        catch (Exception exception)
        {
            _logger.AcknowledgeFailed(GrainKey, target.ToString(), exception);
        }
    }

    /// <summary>
    /// Sends again every call without a result whose resend delay has passed (or all of them when
    /// <paramref name="force"/> is set), and pushes again every stored result not yet acknowledged.
    /// </summary>
    private void ResendAll(bool force)
    {
        if (_closed)
        {
            return;
        }

        foreach (var call in _calls.All)
        {
            // A two-way call to an ordinary grain is sent once per activation, because its outcome (an Orleans
            // failure included) is its result. A one-way call is sent until a response arrives.
            if (call.State != CallState.Sent || call.Sending || (!call.Record.TargetIsImmortal && !call.Record.OneWay))
            {
                continue;
            }

            if (!force && Since(call.LastSentTimestamp) < call.ResendDelay)
            {
                continue;
            }

            _logger.CallResent(GrainKey, call.Sequence, call.Record.Target.ToString());
            ImmortalMetrics.Resends.Add(1);
            call.ResendDelay = force
                ? _runtime.Options.ResendDelay
                : TimeSpan.FromTicks(Math.Min(call.ResendDelay.Ticks * 2, _runtime.Options.MaxResendDelay.Ticks));
            Send(call);
        }

        foreach (var entry in _outbox.Values)
        {
            if (!entry.Durable || entry.Pushing)
            {
                continue;
            }

            if (!force && Since(entry.LastPushTimestamp) < _runtime.Options.ResendDelay)
            {
                continue;
            }

            ImmortalMetrics.Resends.Add(1);
            _ = PushResultAsync(entry);
        }
    }

    private async Task RunResendLoopAsync()
    {
        var period = TimeSpan.FromTicks(Math.Max(_runtime.Options.ResendDelay.Ticks / 2, TimeSpan.TicksPerMillisecond));
        while (!_closed)
        {
            try
            {
                await Task.Delay(period, _runtime.TimeProvider, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            ResendAll(force: false);
        }
    }
}
