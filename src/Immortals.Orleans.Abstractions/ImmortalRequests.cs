using Orleans.Runtime;

namespace Immortals.Orleans;

/// <summary>
/// Calls an immortal grain under a request id chosen by the caller, so that a retry of the same call after a
/// failure attaches to the method already running or returns its retained result instead of running it again.
/// </summary>
/// <remarks>
/// For clients and ordinary grains. The id travels in <see cref="RequestContext"/> bound to the target grain's
/// id; the target removes it before the method runs, so it never reaches the calls that the method makes. A reuse
/// of the same id with different arguments fails with <see cref="ImmortalRequestIdConflictException"/>, and a
/// reuse after the retention period fails with <see cref="ImmortalRequestExpiredException"/> while the grain
/// remembers the expired id.
/// <see cref="GetStatusAsync"/> and <see cref="CancelAsync"/> reach the method by its request id.
/// </remarks>
public static class ImmortalRequests
{
    /// <summary>Key of the <see cref="RequestContext"/> entry that carries the request id.</summary>
    public const string RequestContextKey = "immortals.request-id";

    /// <summary>Calls <paramref name="grain"/> through <paramref name="call"/> under <paramref name="requestId"/>.</summary>
    /// <typeparam name="TGrain">Grain interface.</typeparam>
    /// <typeparam name="TResult">Result of the call.</typeparam>
    /// <param name="grain">Reference to an immortal grain.</param>
    /// <param name="requestId">Id of the request, unique per grain for the retention period.</param>
    /// <param name="call">Makes exactly one call to <paramref name="grain"/>.</param>
    /// <returns>The result of the method that ran under the request id.</returns>
    public static async Task<TResult> InvokeAsync<TGrain, TResult>(
        TGrain grain,
        string requestId,
        Func<TGrain, Task<TResult>> call)
        where TGrain : IAddressable
    {
        ArgumentNullException.ThrowIfNull(call);
        var previous = Bind(grain, requestId);
        try
        {
            return await call(grain);
        }
        finally
        {
            Restore(previous);
        }
    }

    /// <summary>Calls <paramref name="grain"/> through <paramref name="call"/> under <paramref name="requestId"/>.</summary>
    /// <typeparam name="TGrain">Grain interface.</typeparam>
    /// <param name="grain">Reference to an immortal grain.</param>
    /// <param name="requestId">Id of the request, unique per grain for the retention period.</param>
    /// <param name="call">Makes exactly one call to <paramref name="grain"/>.</param>
    /// <returns>A task that completes when the method that ran under the request id has completed.</returns>
    public static async Task InvokeAsync<TGrain>(TGrain grain, string requestId, Func<TGrain, Task> call)
        where TGrain : IAddressable
    {
        ArgumentNullException.ThrowIfNull(call);
        var previous = Bind(grain, requestId);
        try
        {
            await call(grain);
        }
        finally
        {
            Restore(previous);
        }
    }

    /// <summary>
    /// Returns the status of the method that runs or ran on <paramref name="grain"/> under
    /// <paramref name="requestId"/>, as a stored checkpoint of the grain contains it. The lookup interleaves with the
    /// grain's methods and activates the grain when it is not active, which recovers it.
    /// </summary>
    /// <param name="grain">Reference to an immortal grain.</param>
    /// <param name="requestId">The request id given to <see cref="InvokeAsync{TGrain}"/>.</param>
    /// <returns>
    /// The status, or <see cref="ImmortalRequestState.Unknown"/> when the grain has no record of the id.
    /// </returns>
    public static Task<ImmortalRequestStatus> GetStatusAsync(IAddressable grain, string requestId)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        return grain.AsReference<IImmortalRequestExtension>().GetStatus(requestId);
    }

    /// <summary>
    /// Requests cancellation of the method that runs on <paramref name="grain"/> under <paramref name="requestId"/>.
    /// The request is stored in the grain's checkpoint before this call returns; then the
    /// <see cref="CancellationToken"/> parameter of the method is canceled, also in a method rebuilt after a silo
    /// failure. Cancellation is cooperative: the method decides when and how to stop.
    /// </summary>
    /// <remarks>
    /// The call is idempotent: send it again when it fails. It fails with <see cref="InvalidOperationException"/>,
    /// storing nothing, when no other output shares the write and a method of the grain is suspended at an await
    /// that cannot be checkpointed (such as <c>Task.Delay</c>). For an id whose method finished or expired, nothing
    /// is stored and the returned status names the state. For an unknown id, for example a request that Orleans
    /// queued behind a running method, the request is stored and cancels that request when it arrives, within the
    /// result retention period. <see cref="ImmortalRequestStatus.CancellationRequested"/> is <see langword="true"/>
    /// only when the grain stored the request.
    /// </remarks>
    /// <param name="grain">Reference to an immortal grain.</param>
    /// <param name="requestId">The request id given to <see cref="InvokeAsync{TGrain}"/>.</param>
    /// <returns>The status after the request was handled.</returns>
    public static Task<ImmortalRequestStatus> CancelAsync(IAddressable grain, string requestId)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        return grain.AsReference<IImmortalRequestExtension>().Cancel(requestId);
    }

    /// <summary>Returns the value stored under <see cref="RequestContextKey"/> for a request id bound to a grain.</summary>
    /// <param name="grainId">The target grain.</param>
    /// <param name="requestId">The request id.</param>
    public static string Format(GrainId grainId, string requestId) => grainId.ToString() + "\n" + requestId;

    /// <summary>
    /// Reads a value written by <see cref="Format"/>; returns the request id when it is bound to
    /// <paramref name="grainId"/>, otherwise <see langword="null"/>.
    /// </summary>
    /// <param name="value">The value of the <see cref="RequestContext"/> entry.</param>
    /// <param name="grainId">The grain that received the call.</param>
    public static string? ParseFor(object? value, GrainId grainId)
    {
        if (value is not string text)
        {
            return null;
        }

        var separator = text.IndexOf('\n', StringComparison.Ordinal);
        if (separator < 0 || !text.AsSpan(0, separator).SequenceEqual(grainId.ToString()))
        {
            return null;
        }

        return text[(separator + 1)..];
    }

    private static object? Bind<TGrain>(TGrain grain, string requestId)
        where TGrain : IAddressable
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        var previous = RequestContext.Get(RequestContextKey);
        RequestContext.Set(RequestContextKey, Format(grain.GetGrainId(), requestId));
        return previous;
    }

    private static void Restore(object? previous)
    {
        if (previous is null)
        {
            RequestContext.Remove(RequestContextKey);
            return;
        }

        RequestContext.Set(RequestContextKey, previous);
    }
}
