namespace SiloHost.Grains;

/// <summary>An order that a workflow places: what to reserve, whom to charge and what to ship.</summary>
[GenerateSerializer]
[Immutable]
public sealed class OrderRequest
{
    /// <summary>Order id, also the key of the order's workflow and shipment grains.</summary>
    [Id(0)]
    public required string OrderId { get; init; }

    /// <summary>Stock-keeping unit, the key of the inventory grain that reserves the stock.</summary>
    [Id(1)]
    public required string Sku { get; init; }

    /// <summary>Units to reserve.</summary>
    [Id(2)]
    public required int Quantity { get; init; }

    /// <summary>Customer id, the key of the payment grain that charges the card.</summary>
    [Id(3)]
    public required string CustomerId { get; init; }

    /// <summary>Card to charge. <see cref="PaymentGrain.DeclinedCard"/> is always declined.</summary>
    [Id(4)]
    public required string CardNumber { get; init; }

    /// <summary>Amount to charge, in cents.</summary>
    [Id(5)]
    public required long AmountCents { get; init; }
}
