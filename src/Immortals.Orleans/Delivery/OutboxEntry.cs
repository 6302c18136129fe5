namespace Immortals.Orleans.Delivery;

/// <summary>A result owed to an immortal caller, kept until the caller acknowledges that it stored it.</summary>
[GenerateSerializer]
internal sealed class OutboxEntry
{
    [Id(0)]
    public GrainId Caller { get; set; }

    [Id(1)]
    public Guid CallerIncarnation { get; set; }

    [Id(2)]
    public long CallerSequence { get; set; }

    /// <summary>Serialized <see cref="Calls.CallOutcome"/>.</summary>
    [Id(3)]
    public byte[] Outcome { get; set; } = [];

    /// <summary>Whether a stored checkpoint contains the entry, so that it may be sent.</summary>
    [NonSerialized]
    public bool Durable;

    /// <summary>When the result was last pushed to the caller, for resend backoff.</summary>
    [NonSerialized]
    public long LastPushTimestamp;

    /// <summary>Whether a push is in progress.</summary>
    [NonSerialized]
    public bool Pushing;
}
