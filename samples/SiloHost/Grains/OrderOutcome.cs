namespace SiloHost.Grains;

/// <summary>Result of an order workflow.</summary>
[GenerateSerializer]
[Immutable]
public sealed class OrderOutcome
{
    /// <summary>The order.</summary>
    [Id(0)]
    public required string OrderId { get; init; }

    /// <summary><see cref="OrderStage.Shipped"/> or <see cref="OrderStage.Cancelled"/>.</summary>
    [Id(1)]
    public required OrderStage Stage { get; init; }

    /// <summary>Tracking number of the shipment, or null when the order was cancelled.</summary>
    [Id(2)]
    public string? TrackingNumber { get; init; }

    /// <summary>Why the order was cancelled, or null.</summary>
    [Id(3)]
    public string? CancelReason { get; init; }

    /// <summary>Address of the silo where the workflow finished, with its generation.</summary>
    [Id(4)]
    public required string FinishedOnSilo { get; init; }
}
