namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>A record with the value types workflows keep in locals.</summary>
/// <param name="Key">Identifier.</param>
/// <param name="Amount">Amount of money.</param>
/// <param name="PlacedAt">Time with offset.</param>
/// <param name="Priority">An enum.</param>
/// <param name="Note">An optional text.</param>
[GenerateSerializer]
public sealed record Order(
    [property: Id(0)] Guid Key,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] DateTimeOffset PlacedAt,
    [property: Id(3)] Priority Priority,
    [property: Id(4)] string? Note);
