namespace Immortals.Orleans.Delivery;

/// <summary>
/// Duplicate detection for the deliveries of one caller incarnation: every sequence number below
/// <see cref="DoneBelow"/> is finished, and <see cref="Done"/> lists finished ones above it.
/// </summary>
/// <remarks>
/// The caller sends <see cref="DoneBelow"/> with every delivery and acknowledgement: the lowest of its calls to this
/// grain without a stored result. Entries below it are never needed again, which keeps the set bounded by the
/// caller's calls in flight to this grain.
/// </remarks>
[GenerateSerializer]
internal sealed class CallerWatermark
{
    [Id(0)]
    public GrainId Caller { get; set; }

    [Id(1)]
    public Guid CallerIncarnation { get; set; }

    [Id(2)]
    public long DoneBelow { get; set; }

    [Id(3)]
    public HashSet<long> Done { get; set; } = [];

    /// <summary>Raises <see cref="DoneBelow"/> and removes the sequence numbers below it from <see cref="Done"/>.</summary>
    public void Advance(long doneBelow)
    {
        if (doneBelow <= DoneBelow)
        {
            return;
        }

        DoneBelow = doneBelow;
        Done.RemoveWhere(sequence => sequence < doneBelow);
    }

    /// <summary>Whether the call was finished and its result stored by the caller.</summary>
    public bool IsDone(long sequence) => sequence < DoneBelow || Done.Contains(sequence);
}
