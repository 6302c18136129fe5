namespace Immortals.Orleans.Waits;

/// <summary>
/// Stored form of a durable wait: a leaf of the frame snapshot, like a call, that completes at a due time or when a
/// signal arrives instead of when a callee returns a result.
/// </summary>
[GenerateSerializer]
internal sealed class WaitRecord
{
    /// <summary>Leaf id of the wait in the frame snapshot, taken from the grain's sequence numbers of calls.</summary>
    [Id(0)]
    public long LeafId { get; set; }

    [Id(1)]
    public WaitKind Kind { get; set; }

    /// <summary>
    /// Due time of a delay, or the deadline of a signal wait when <see cref="HasDeadline"/> is set, on the wait clock.
    /// </summary>
    [Id(2)]
    public DateTimeOffset DueTime { get; set; }

    /// <summary>Id of the awaited signal.</summary>
    [Id(3)]
    public string? SignalId { get; set; }

    /// <summary>
    /// Serialized <see cref="Calls.CallOutcome"/> once the wait completed, or <see langword="null"/> while it waits.
    /// </summary>
    [Id(4)]
    public byte[]? Outcome { get; set; }

    /// <summary>Whether a signal wait fails with a timeout at <see cref="DueTime"/>.</summary>
    [Id(5)]
    public bool HasDeadline { get; set; }

    /// <summary>
    /// Id of the root whose cancellation token cancels the wait, or 0 when no token does. A stored cancel request of
    /// that root cancels the wait again after a recovery.
    /// </summary>
    [Id(6)]
    public long CanceledWithRoot { get; set; }

    /// <summary>
    /// Whether the token of <see cref="CanceledWithRoot"/> ended the wait, so that its task is canceled with that
    /// token, also when it is rebuilt after a recovery.
    /// </summary>
    [Id(7)]
    public bool Canceled { get; set; }

    /// <summary>Returns a copy with the current values.</summary>
    public WaitRecord Copy() => new()
    {
        LeafId = LeafId,
        Kind = Kind,
        DueTime = DueTime,
        SignalId = SignalId,
        Outcome = Outcome,
        HasDeadline = HasDeadline,
        CanceledWithRoot = CanceledWithRoot,
        Canceled = Canceled,
    };
}
