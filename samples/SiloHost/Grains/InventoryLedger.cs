namespace SiloHost.Grains;

/// <summary>Committed state of an inventory grain, read back to check that every effect happened once.</summary>
[GenerateSerializer]
public sealed class InventoryLedger
{
    /// <summary>Number of <c>Reserve</c> calls that took effect, per order.</summary>
    [Id(0)]
    public Dictionary<string, int> Reservations { get; init; } = [];

    /// <summary>Number of <c>Release</c> calls that took effect, per order.</summary>
    [Id(1)]
    public Dictionary<string, int> Releases { get; init; } = [];

    /// <summary>Units reserved and not released.</summary>
    [Id(2)]
    public int UnitsHeld { get; init; }

    /// <summary>Units available for new reservations.</summary>
    [Id(3)]
    public int UnitsAvailable { get; init; }
}
