namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Thrown when a snapshot of suspended async methods cannot be rebuilt, for example because a method changed
/// since the snapshot was taken or the snapshot is damaged.
/// </summary>
/// <remarks>
/// The rebuild validates every frame before it constructs any, so when this exception is thrown no method has
/// been rebuilt and the snapshot can be kept as it is.
/// </remarks>
[GenerateSerializer]
public sealed class FrameRebuildException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FrameRebuildException"/> class.</summary>
    /// <param name="methodName">Method that cannot be rebuilt, or <see langword="null"/> when the whole snapshot
    /// is at fault.</param>
    /// <param name="differences">What differs between the snapshot and the loaded code, one entry per
    /// difference; empty when the failure is not a code change.</param>
    /// <param name="message">Message that describes the failure.</param>
    /// <param name="innerException">Exception that caused this one, or <see langword="null"/>.</param>
    public FrameRebuildException(
        string? methodName,
        IReadOnlyList<string> differences,
        string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        MethodName = methodName;
        Differences = differences;
    }

    /// <summary>Method that cannot be rebuilt, as <c>Namespace.Type.Method</c>, or <see langword="null"/>.</summary>
    [Id(0)]
    public string? MethodName { get; private set; }

    /// <summary>
    /// Differences between the method as captured and as loaded now, for example an added local or a changed
    /// <c>MoveNext</c> body; empty when the failure is not a code change.
    /// </summary>
    [Id(1)]
    public IReadOnlyList<string> Differences { get; private set; }

    /// <summary>Whether the failure is a code change of the method since the snapshot was taken.</summary>
    public bool IsCodeChange => Differences.Count > 0;
}
