namespace Immortals.Orleans;

/// <summary>
/// Status of a method of an immortal grain started under a request id, read from the grain's stored checkpoint.
/// Returned by <see cref="ImmortalRequests.GetStatusAsync"/> and <see cref="ImmortalRequests.CancelAsync"/>.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed class ImmortalRequestStatus
{
    /// <summary>The request id.</summary>
    [Id(0)]
    public string RequestId { get; init; } = "";

    /// <summary>The state of the method.</summary>
    [Id(1)]
    public ImmortalRequestState State { get; init; }

    /// <summary>
    /// The grain method as <c>Interface.Method</c>, or <see langword="null"/> for
    /// <see cref="ImmortalRequestState.Unknown"/> and <see cref="ImmortalRequestState.Expired"/> ids whose result
    /// was dropped.
    /// </summary>
    [Id(2)]
    public string? MethodName { get; init; }

    /// <summary>
    /// Whether a stored checkpoint contains a request to cancel the method (see
    /// <see cref="ImmortalRequests.CancelAsync"/>).
    /// </summary>
    [Id(3)]
    public bool CancellationRequested { get; init; }

    /// <summary>
    /// The returned value for <see cref="ImmortalRequestState.Succeeded"/>, otherwise <see langword="null"/>.
    /// </summary>
    [Id(4)]
    public object? Result { get; init; }

    /// <summary>
    /// Full type name of the exception the method ended with (<see cref="ImmortalRequestState.Failed"/> and
    /// <see cref="ImmortalRequestState.Canceled"/>), otherwise <see langword="null"/>.
    /// </summary>
    [Id(5)]
    public string? ErrorType { get; init; }

    /// <summary>Message of the exception the method ended with, otherwise <see langword="null"/>.</summary>
    [Id(6)]
    public string? ErrorMessage { get; init; }

    /// <summary>
    /// When the result is dropped and the id becomes <see cref="ImmortalRequestState.Expired"/>, for finished
    /// methods whose result is still kept; otherwise <see langword="null"/>.
    /// </summary>
    [Id(7)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <inheritdoc/>
    public override string ToString() => State switch
    {
        ImmortalRequestState.Failed or ImmortalRequestState.Canceled =>
            $"{RequestId}: {State} ({ErrorType}: {ErrorMessage})",
        _ => $"{RequestId}: {State}" + (CancellationRequested ? " (cancellation requested)" : ""),
    };
}
