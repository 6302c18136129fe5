namespace Immortals.Orleans.Calls;

/// <summary>
/// Stored form of one outgoing call of an immortal grain: enough to send it again after recovery and to
/// complete the await of the frame that made it.
/// </summary>
[GenerateSerializer]
internal sealed class CallRecord
{
    /// <summary>Sequence number of the call within the caller's incarnation.</summary>
    [Id(0)]
    public long Sequence { get; set; }

    /// <summary>The grain the call goes to.</summary>
    [Id(1)]
    public GrainId Target { get; set; }

    /// <summary>Grain interface type of the call, to create a reference when the call is sent again.</summary>
    [Id(2)]
    public string InterfaceType { get; set; } = "";

    /// <summary>Whether the target is an immortal grain, which receives the call as a delivery.</summary>
    [Id(3)]
    public bool TargetIsImmortal { get; set; }

    /// <summary>The request (the Orleans invokable with its arguments), serialized when the call was made.</summary>
    [Id(4)]
    public byte[] Request { get; set; } = [];

    /// <summary>Serialized <see cref="CallOutcome"/>, or <see langword="null"/> while no result is known.</summary>
    [Id(5)]
    public byte[]? Outcome { get; set; }

    /// <summary>Method name for logs and messages, as <c>Interface.Method</c>.</summary>
    [Id(6)]
    public string MethodName { get; set; } = "";

    /// <summary>
    /// Whether the method is <c>[OneWay]</c>: the caller does not wait for it, and the call is finished once the
    /// callee has stored the request (or, for an ordinary grain, once it was sent).
    /// </summary>
    [Id(7)]
    public bool OneWay { get; set; }
}
