namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>A struct record used as a local in workflows.</summary>
/// <param name="X">Horizontal coordinate.</param>
/// <param name="Y">Vertical coordinate.</param>
[GenerateSerializer]
public readonly record struct Point([property: Id(0)] int X, [property: Id(1)] int Y);
