namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// A cancel request for a request id that the grain had not admitted yet, for example a request that Orleans queued
/// behind a running method of a non-reentrant grain. It cancels the request when it arrives.
/// </summary>
[GenerateSerializer]
internal sealed class PendingCancel
{
    [Id(0)]
    public string RequestId { get; set; } = "";

    /// <summary>When the cancel request arrived; it is dropped after the request result retention period.</summary>
    [Id(1)]
    public DateTimeOffset RequestedAt { get; set; }
}
