namespace Immortals.Orleans.Benchmarks;

/// <summary>
/// A plain object with the fields one frame of <see cref="BenchFlow.ChainAsync"/> stores, plus its state and
/// what it awaits: the baseline the capture is compared with.
/// </summary>
[GenerateSerializer]
public sealed class PlainFrame
{
    /// <summary>Await the frame is suspended at.</summary>
    [Id(0)]
    public int State { get; set; }

    /// <summary>Id of the leaf or index of the frame it awaits.</summary>
    [Id(1)]
    public long Awaits { get; set; }

    /// <summary>Parameter <c>depth</c>.</summary>
    [Id(2)]
    public int Depth { get; set; }

    /// <summary>Parameter <c>name</c>.</summary>
    [Id(3)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Parameter <c>amount</c>.</summary>
    [Id(4)]
    public decimal Amount { get; set; }

    /// <summary>Parameter <c>key</c>.</summary>
    [Id(5)]
    public Guid Key { get; set; }

    /// <summary>Parameter <c>sample</c>.</summary>
    [Id(6)]
    public Sample? Sample { get; set; }

    /// <summary>Local <c>count</c>.</summary>
    [Id(7)]
    public int Count { get; set; }

    /// <summary>Local <c>label</c>.</summary>
    [Id(8)]
    public string Label { get; set; } = string.Empty;

    /// <summary>Local <c>total</c>.</summary>
    [Id(9)]
    public decimal Total { get; set; }
}
