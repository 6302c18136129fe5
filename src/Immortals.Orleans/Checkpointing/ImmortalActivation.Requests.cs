using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Orleans.Serialization.Invocation;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Request ids: status, cancellation, retention and expiry.</summary>
internal sealed partial class ImmortalActivation
{
    private ExpiredRequestIds _expiredRequestIds = new();

    /// <summary>
    /// Returns the status of the root started under <paramref name="requestId"/> as a stored checkpoint contains
    /// it. State that no checkpoint contains yet (a new root, a result being written) is waited for, so that a
    /// status never reports what a crash could still undo.
    /// </summary>
    public async Task<ImmortalRequestStatus> GetRequestStatusAsync(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        while (true)
        {
            ThrowIfClosed();
            if (_rootsByRequestId.TryGetValue(requestId, out var root))
            {
                if (!root.Durable)
                {
                    await WaitForCheckpointAsync();
                    continue;
                }

                return new ImmortalRequestStatus
                {
                    RequestId = requestId,
                    State = root.Record.Started ? ImmortalRequestState.Running : ImmortalRequestState.Pending,
                    MethodName = root.Record.MethodName,
                    CancellationRequested = root.Record.CancelRequested,
                };
            }

            if (_requestResults.TryGetValue(requestId, out var retained))
            {
                if (retained.AwaitingWrite)
                {
                    await WaitForCheckpointAsync();
                    continue;
                }

                return StatusOf(retained);
            }

            return new ImmortalRequestStatus
            {
                RequestId = requestId,
                State = _expiredRequestIds.Contains(requestId)
                    ? ImmortalRequestState.Expired
                    : ImmortalRequestState.Unknown,
            };
        }
    }

    /// <summary>
    /// Stores a request to cancel the root started under <paramref name="requestId"/>, then cancels the root's
    /// token, and returns the status. The token is canceled only after a stored checkpoint contains the request, so
    /// every output of the method's reaction is released by a checkpoint that also records the cancellation.
    /// </summary>
    public async Task<ImmortalRequestStatus> CancelRequestAsync(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ThrowIfClosed();
        if (!_rootsByRequestId.TryGetValue(requestId, out var root))
        {
            var status = await GetRequestStatusAsync(requestId);
            if (status.State is ImmortalRequestState.Pending or ImmortalRequestState.Running)
            {
                // The root became known while the lookup waited for a write; handle it as a running root.
                return await CancelRequestAsync(requestId);
            }

            _logger.CancelIgnored(GrainKey, requestId, status.State.ToString());
            return status;
        }

        if (!root.Record.CancelRequested)
        {
            root.Record.CancelRequested = true;
            _logger.CancelRequested(GrainKey, requestId, root.RootId, root.Record.MethodName);
        }

        if (!root.CancelStored)
        {
            await WaitForCheckpointAsync();
            root.CancelStored = true;
        }

        CancelToken(root);
        return await GetRequestStatusAsync(requestId);
    }

    /// <summary>
    /// Returns a task that completes once a checkpoint written after this call is stored, and fails when the
    /// activation closes first.
    /// </summary>
    private Task WaitForCheckpointAsync()
    {
        ThrowIfClosed();
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closing = _stopping.Token.Register(() => stored.TrySetException(new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed before the checkpoint was written; send the "
            + "message again.")));
        RequestCheckpoint(() =>
        {
            closing.Dispose();
            stored.TrySetResult();
        });
        return stored.Task;
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
            _expiredRequestIds.Add(result.RequestId, result.ExpiresAt, _runtime.Options.ExpiredRequestIdRetention);
            _requestResults.Remove(result.RequestId);
        }

        var forgotten = _expiredRequestIds.Forget(now);
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
            OperationCanceledException when retained.CancelRequested => ImmortalRequestState.Canceled,
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
