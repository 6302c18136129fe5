namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Thrown when the suspended async methods of an immortal grain cannot be captured into a checkpoint.
/// </summary>
/// <remarks>
/// The message names the method, the local as written in source and its type, and what to change.
/// </remarks>
[GenerateSerializer]
public sealed class FrameCaptureException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FrameCaptureException"/> class.</summary>
    /// <param name="failure">Reason for the failure.</param>
    /// <param name="methodName">Method whose frame failed, as <c>Namespace.Type.Method</c>.</param>
    /// <param name="localName">Local, parameter or field as written in source, or <see langword="null"/>.</param>
    /// <param name="localType">Type of the offending value, or <see langword="null"/>.</param>
    /// <param name="message">Message that describes the failure and what to change.</param>
    /// <param name="innerException">Exception that caused this one, or <see langword="null"/>.</param>
    public FrameCaptureException(
        FrameCaptureFailure failure,
        string methodName,
        string? localName,
        string? localType,
        string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        MethodName = methodName;
        LocalName = localName;
        LocalType = localType;
    }

    /// <summary>Reason for the failure.</summary>
    [Id(0)]
    public FrameCaptureFailure Failure { get; private set; }

    /// <summary>Method whose frame failed, as <c>Namespace.Type.Method</c>.</summary>
    [Id(1)]
    public string MethodName { get; private set; }

    /// <summary>
    /// Local, parameter or field as written in source (for example <c>total</c> or <c>this</c>), or the
    /// compiler's name for a value that has no source name, or <see langword="null"/> when no single value is
    /// at fault.
    /// </summary>
    [Id(2)]
    public string? LocalName { get; private set; }

    /// <summary>Type of the offending value or awaiter, or <see langword="null"/>.</summary>
    [Id(3)]
    public string? LocalType { get; private set; }
}
