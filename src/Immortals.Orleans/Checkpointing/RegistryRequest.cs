namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// One caller's pending registration in the wake-up registry. It completes with <see langword="true"/> once a shard
/// write that contains the entry succeeded, or once a shard read listed the grain when <see cref="WriteIfListed"/>
/// is <see langword="false"/>. It completes with <see langword="false"/> when the caller abandoned it or its
/// attempts ran out.
/// </summary>
internal sealed class RegistryRequest(GrainId grainId, bool writeIfListed, Func<bool> abandon)
{
    private readonly TaskCompletionSource<bool> _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrainId GrainId { get; } = grainId;

    /// <summary>
    /// Whether the entry must be written with a fresh stamp even when the shard already lists the grain. A grain
    /// that stores a new root or delay needs the write, because the shard's ETag must change after the grain last
    /// reported to a sweep that it had no such work. Otherwise that sweep could still remove the entry.
    /// </summary>
    public bool WriteIfListed { get; } = writeIfListed;

    /// <summary>Shard writes that included this request and failed.</summary>
    public int FailedAttempts { get; set; }

    public Task<bool> Stored => _stored.Task;

    public bool Abandoned => abandon();

    public void Complete(bool stored) => _stored.TrySetResult(stored);
}
