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
    public async Task InterceptAsync(IOutgoingGrainCallContext context)
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
            Target = context.TargetId,
            InterfaceType = context.InterfaceType.ToString(),
            TargetIsImmortal = _runtime.IsImmortal(context.TargetId.Type)
                && CallInterception.IsUserCall(context.TargetId, context.Request.GetInterfaceType()),
            Request = _runtime.Serializer.SerializeToArray<IInvokable>(context.Request),
            MethodName = context.InterfaceName + "." + context.MethodName,
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

        context.Result = await ((Task<object?>)call.Leaf.Task);
    }

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
                AcceptResult(call, outcome);
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
            var value = await _runtime.ReferenceRuntime.InvokeMethodAsync<object>(reference, request, options);
            outcome = new CallOutcome { Value = value };
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

        AcceptResult(call, outcome);
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
            if (call.State != CallState.Sent || call.Sending || !call.Record.TargetIsImmortal)
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
