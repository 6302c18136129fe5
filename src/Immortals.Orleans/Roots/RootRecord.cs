namespace Immortals.Orleans.Roots;

/// <summary>Stored form of a running method of an immortal grain.</summary>
[GenerateSerializer]
internal sealed class RootRecord
{
    /// <summary>Id of the root within the grain, also its root id in the frame snapshot.</summary>
    [Id(0)]
    public long RootId { get; set; }

    /// <summary>Who started the root.</summary>
    [Id(1)]
    public RootOrigin Origin { get; set; }

    /// <summary>The immortal caller, for delivered roots.</summary>
    [Id(2)]
    public GrainId Caller { get; set; }

    /// <summary>The caller's incarnation, for delivered roots.</summary>
    [Id(3)]
    public Guid CallerIncarnation { get; set; }

    /// <summary>The caller's sequence number of the call, for delivered roots.</summary>
    [Id(4)]
    public long CallerSequence { get; set; }

    /// <summary>Request id given by an external caller, or <see langword="null"/>.</summary>
    [Id(5)]
    public string? RequestId { get; set; }

    /// <summary>The request, serialized. Run again after recovery when the root had not started.</summary>
    [Id(6)]
    public byte[] Request { get; set; } = [];

    /// <summary>Whether the method has started, so that its frames are in the snapshot.</summary>
    [Id(7)]
    public bool Started { get; set; }

    /// <summary>Method name for logs and messages.</summary>
    [Id(8)]
    public string MethodName { get; set; } = "";

    /// <summary>Hash of the serialized request, to reject a request id reused with other arguments.</summary>
    [Id(9)]
    public byte[] RequestHash { get; set; } = [];

    /// <summary>
    /// Sequence number of the call whose task the grain method returned directly, without an async frame of its
    /// own; 0 for methods with frames. After recovery such a root awaits the rebuilt call.
    /// </summary>
    [Id(10)]
    public long ForwardedCall { get; set; }

    /// <summary>
    /// Whether a client requested cancellation of the root. A rebuilt root's token is canceled before its frames
    /// resume.
    /// </summary>
    [Id(30)]
    public bool CancelRequested { get; set; }

    /// <summary>
    /// Returns a copy with the current values, so that a checkpoint being written keeps the values of its capture.
    /// The byte arrays are shared, because they are never changed in place.
    /// </summary>
    public RootRecord Copy() => (RootRecord)MemberwiseClone();
}
