namespace Immortals.Orleans.Benchmarks;

/// <summary>A record local shared by every frame of the benchmark chain.</summary>
/// <param name="Value">A number.</param>
/// <param name="Text">A text.</param>
[GenerateSerializer]
public sealed record Sample([property: Id(0)] int Value, [property: Id(1)] string Text);
