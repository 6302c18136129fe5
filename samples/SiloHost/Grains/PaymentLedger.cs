namespace SiloHost.Grains;

/// <summary>Committed state of a payment grain, read back to check that every effect happened once.</summary>
[GenerateSerializer]
public sealed class PaymentLedger
{
    /// <summary>Number of charges that took effect, per order.</summary>
    [Id(0)]
    public Dictionary<string, int> Charges { get; init; } = [];

    /// <summary>Number of declined charges, per order.</summary>
    [Id(1)]
    public Dictionary<string, int> Declines { get; init; } = [];

    /// <summary>Sum of all charges, in cents.</summary>
    [Id(2)]
    public long ChargedCents { get; init; }
}
