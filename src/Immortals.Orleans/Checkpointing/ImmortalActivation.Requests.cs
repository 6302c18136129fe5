using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.StateMachines;
using Immortals.Orleans.Roots;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Request ids: status, cancellation, retention and expiry.</summary>
internal sealed partial class ImmortalActivation
{
    private readonly Dictionary<string, PendingCancel> _pendingCancels = new(StringComparer.Ordinal);
    private ExpiredRequestIds _expiredRequestIds = new();
    private CapturedRequestState _storedRequests = CapturedRequestState.Empty;
    private CapturedRequestState? _capturedRequests;

    /// <summary>
    /// Returns the status of the root started under <paramref name="requestId"/> as the last stored checkpoint
    /// contains it. The lookup requests no write, so it never reports state that a crash could undo and never makes
    /// the grain capture its methods.
    /// </summary>
    public Task<ImmortalRequestStatus> GetRequestStatusAsync(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ThrowIfClosed();
        return Task.FromResult(StoredStatus(requestId));
    }

    /// <summary>
    /// Stores a request to cancel the root started under <paramref name="requestId"/>, then cancels the root's
    /// token, and returns the status. The token is canceled only after a stored checkpoint contains the request, so
    /// every output of the method's reaction is released by a checkpoint that also records the cancellation. A
    /// cancel request for an id that the grain has not admitted is stored and cancels the request when it arrives.
    /// </summary>
    public async Task<ImmortalRequestStatus> CancelRequestAsync(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ThrowIfClosed();
        if (_rootsByRequestId.TryGetValue(requestId, out var root))
        {
            await StoreCancelAsync(root);
            CancelToken(root);
            return StoredStatus(requestId);
        }

        if (_requestResults.TryGetValue(requestId, out var finishing) && finishing.AwaitingWrite)
        {
            // The method finished and its end is being written: the cancel request comes too late.
            await WaitForOptionalCheckpointAsync(requestId);
        }

        var status = StoredStatus(requestId);
        if (status.State != ImmortalRequestState.Unknown)
        {
            _logger.CancelIgnored(GrainKey, requestId, status.State.ToString());
            return status;
        }

        if (!_pendingCancels.ContainsKey(requestId))
        {
            _pendingCancels[requestId] = new PendingCancel
            {
                RequestId = requestId,
                RequestedAt = _runtime.TimeProvider.GetUtcNow(),
            };
            _logger.CancelStoredAhead(GrainKey, requestId);
        }

        if (!_storedRequests.PendingCancels.Contains(requestId))
        {
            await WaitForOptionalCheckpointAsync(requestId);
        }

        return StoredStatus(requestId);
    }

    /// <summary>Sets the cancel flag of a root and waits until a stored checkpoint contains it.</summary>
    private async Task StoreCancelAsync(ActiveRoot root)
    {
        var requestId = root.Record.RequestId!;
        if (!root.Record.CancelRequested)
        {
            root.Record.CancelRequested = true;
            _logger.CancelRequested(GrainKey, requestId, root.RootId, root.Record.MethodName);
        }

        if (root.CancelStored)
        {
            return;
        }

        try
        {
            await WaitForOptionalCheckpointAsync(requestId);
        }
        catch (Exception) when (!root.CancelStored)
        {
            // No checkpoint contains the flag, so no output of the root was released with it. Clearing it keeps a
            // later write from storing a cancel request whose token this activation never canceled.
            root.Record.CancelRequested = false;
            throw;
        }
    }

    /// <summary>
    /// Returns a task that completes once a checkpoint written after this call is stored. It fails when the
    /// activation closes first, and when the write is needed for nothing else and a method cannot be captured at
    /// its current await: the method is not failed for a status change.
    /// </summary>
    private async Task WaitForOptionalCheckpointAsync(string requestId)
    {
        ThrowIfClosed();
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var closing = _stopping.Token.Register(() => stored.TrySetException(new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed before the checkpoint was written; send the "
            + "message again.")));
        RequestOptionalCheckpoint(stored);
        try
        {
            await stored.Task;
        }
        catch (Exception failure) when (failure is FrameCaptureException or FrameCaptureDeferredException)
        {
            var exception = failure as FrameCaptureException ?? ((FrameCaptureDeferredException)failure).Failure;
            _logger.CancelDeferred(GrainKey, requestId, exception);
            throw new InvalidOperationException(
                $"The cancel request for '{requestId}' on immortal grain {GrainKey} cannot be stored now, because "
                + $"{exception.MethodName} is suspended at an await that cannot be checkpointed: {exception.Message} "
                + "Nothing was stored; send the request again once the method awaits a grain call.",
                exception);
        }
    }

    /// <summary>Returns the status of a request id from the last stored checkpoint.</summary>
    private ImmortalRequestStatus StoredStatus(string requestId)
    {
        if (_requestResults.TryGetValue(requestId, out var retained) && !retained.AwaitingWrite)
        {
            return StatusOf(retained);
        }

        if (_storedRequests.Roots.TryGetValue(requestId, out var root))
        {
            return new ImmortalRequestStatus
            {
                RequestId = requestId,
                State = root.Started ? ImmortalRequestState.Running : ImmortalRequestState.Pending,
                MethodName = root.MethodName,
                CancellationRequested = root.CancelRequested,
            };
        }

        return new ImmortalRequestStatus
        {
            RequestId = requestId,
            State = _expiredRequestIds.Contains(requestId)
                ? ImmortalRequestState.Expired
                : ImmortalRequestState.Unknown,
            CancellationRequested = _storedRequests.PendingCancels.Contains(requestId),
        };
    }

    /// <summary>Applies a successful write to the request state that status lookups read.</summary>
    private void CommitRequestState()
    {
        if (_capturedRequests is null)
        {
            return;
        }

        _storedRequests = _capturedRequests;
        _capturedRequests = null;
        foreach (var root in _storedRequests.CanceledRoots)
        {
            root.CancelStored = true;
        }
    }

    /// <summary>
    /// Applies a stored cancel request that arrived before its request: the new root starts with a canceled token.
    /// The flag is on the root's record before its first checkpoint, so every output of the root is released by a
    /// checkpoint that contains it.
    /// </summary>
    private void ApplyPendingCancel(ActiveRoot root)
    {
        if (root.Record.RequestId is not { } requestId || !_pendingCancels.Remove(requestId))
        {
            return;
        }

        root.Record.CancelRequested = true;
        _logger.CancelRequested(GrainKey, requestId, root.RootId, root.Record.MethodName);
        CancelToken(root);
    }

    /// <summary>Cancels a root's token once. Exceptions of callbacks registered on it are logged, not thrown.</summary>
    private void CancelToken(ActiveRoot root)
    {
        if (root.HasCancellationToken && root.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            root.Cancel();
        }
        catch (AggregateException exception)
        {
            _logger.CancelCallbackFailed(GrainKey, root.Record.RequestId ?? "", exception);
        }
    }

    /// <summary>
    /// Passes the root's token to every <see cref="CancellationToken"/> parameter of the grain method. Orleans
    /// 10.4.2 gives such a parameter a fresh token in <see cref="IInvokable.SetTarget"/>, which only a cancel message
    /// of the same Orleans call would cancel; the root's token is canceled by a stored cancel request instead.
    /// </summary>
    private static void PassCancellationToken(IInvokable request, ActiveRoot root)
    {
        var parameters = request.GetMethod()?.GetParameters() ?? [];
        for (var i = 0; i < parameters.Length && i < request.GetArgumentCount(); i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken))
            {
                request.SetArgument(i, root.CancellationToken);
            }
        }
    }

    /// <summary>Returns the rejection of a request id whose result expired. The method does not run again.</summary>
    private ImmortalRequestExpiredException Expired(string requestId, string methodName, DateTimeOffset? expiredAt)
    {
        _logger.RequestExpired(GrainKey, requestId, methodName);
        var when = expiredAt is { } at ? $" at {at:O}" : "";
        return new ImmortalRequestExpiredException(
            GrainKey,
            methodName,
            $"Request id '{requestId}' on immortal grain {GrainKey} expired{when}: its result is no longer kept, and "
            + "the method does not run again under it. Use a new request id for a new request.");
    }

    /// <summary>
    /// Drops retained results whose retention passed, keeping their ids as expired, and drops expired ids older
    /// than <see cref="Hosting.ImmortalOptions.ExpiredRequestIdRetention"/>.
    /// </summary>
    private void ExpireRequestResults(DateTimeOffset now)
    {
        var expired = _requestResults.Values.Where(result => result.ExpiresAt <= now && !result.AwaitingWrite).ToList();
        foreach (var result in expired)
        {
            _expiredRequestIds.Add(result.RequestId, now, _runtime.Options.ExpiredRequestIdRetention);
            _requestResults.Remove(result.RequestId);
        }

        var forgotten = _expiredRequestIds.Forget(now);
        foreach (var pending in _pendingCancels.Values
            .Where(pending => pending.RequestedAt + _runtime.Options.RequestResultRetention <= now)
            .ToList())
        {
            _pendingCancels.Remove(pending.RequestId);
        }

        if (expired.Count > 0 || forgotten > 0)
        {
            _logger.RequestIdsExpired(GrainKey, expired.Count, forgotten, _expiredRequestIds.Count);
        }
    }

    private ImmortalRequestStatus StatusOf(RetainedResult retained)
    {
        if (retained.ExpiresAt <= _runtime.TimeProvider.GetUtcNow())
        {
            return new ImmortalRequestStatus { RequestId = retained.RequestId, State = ImmortalRequestState.Expired };
        }

        var outcome = ReadOutcome(retained.Outcome);
        var state = outcome.Exception switch
        {
            null => ImmortalRequestState.Succeeded,
            _ when retained.Canceled => ImmortalRequestState.Canceled,
            _ => ImmortalRequestState.Failed,
        };
        return new ImmortalRequestStatus
        {
            RequestId = retained.RequestId,
            State = state,
            MethodName = retained.MethodName,
            CancellationRequested = retained.CancelRequested,
            Result = outcome.Value,
            ErrorType = outcome.Exception?.GetType().FullName,
            ErrorMessage = outcome.Exception?.Message,
            ExpiresAt = retained.ExpiresAt,
        };
    }
}
