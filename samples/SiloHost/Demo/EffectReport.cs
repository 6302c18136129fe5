namespace SiloHost.Demo;

/// <summary>The effects read back from the immortal callees, and every deviation from exactly once.</summary>
public sealed class EffectReport
{
    /// <summary>Reservations that took effect, over all orders.</summary>
    public int Reservations { get; set; }

    /// <summary>Releases that took effect.</summary>
    public int Releases { get; set; }

    /// <summary>Charges that took effect.</summary>
    public int Charges { get; set; }

    /// <summary>Declined charges.</summary>
    public int Declines { get; set; }

    /// <summary>Shipment bookings that took effect.</summary>
    public int Shipments { get; set; }

    /// <summary>Each effect that happened more or less often than once, or not as the order requires.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>True when every effect happened exactly as often as the orders require.</summary>
    public bool ExactlyOnce => Problems.Count == 0;
}
