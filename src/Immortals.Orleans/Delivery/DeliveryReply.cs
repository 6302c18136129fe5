namespace Immortals.Orleans.Delivery;

/// <summary>Reply to a delivery: its status and, for <see cref="DeliveryStatus.Completed"/>, the result.</summary>
[GenerateSerializer]
[Immutable]
public sealed class DeliveryReply
{
    /// <summary>The status.</summary>
    [Id(0)]
    public DeliveryStatus Status { get; init; }

    /// <summary>The serialized outcome of the call, with <see cref="DeliveryStatus.Completed"/>.</summary>
    [Id(1)]
    public byte[]? Outcome { get; init; }
}
