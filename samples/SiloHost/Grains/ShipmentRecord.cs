namespace SiloHost.Grains;

/// <summary>Committed state of a shipment grain.</summary>
[GenerateSerializer]
[Immutable]
public sealed class ShipmentRecord
{
    /// <summary>Number of bookings that took effect.</summary>
    [Id(0)]
    public int Bookings { get; init; }

    /// <summary>Tracking number of the last booking, or null.</summary>
    [Id(1)]
    public string? TrackingNumber { get; init; }
}
