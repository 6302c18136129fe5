namespace SiloHost.Grains;

/// <summary>Where an order workflow is.</summary>
public enum OrderStage
{
    /// <summary>Not started.</summary>
    None = 0,

    /// <summary>Reserving stock and charging the payment.</summary>
    Charging = 1,

    /// <summary>Payment declined: releasing the reserved stock.</summary>
    Compensating = 2,

    /// <summary>Waiting for the shipment to be booked with the carrier.</summary>
    Shipping = 3,

    /// <summary>Finished: stock reserved, payment charged, shipment booked.</summary>
    Shipped = 4,

    /// <summary>Finished: payment declined and stock released.</summary>
    Cancelled = 5,
}
