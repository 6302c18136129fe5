namespace Immortals.Orleans.Waits;

/// <summary>What a durable wait of an immortal grain method waits for.</summary>
internal enum WaitKind
{
    /// <summary>A due time, from <see cref="ImmortalTime"/>.</summary>
    Delay = 1,

    /// <summary>A signal delivered under an id, from <see cref="ImmortalSignals"/>.</summary>
    Signal = 2,
}
