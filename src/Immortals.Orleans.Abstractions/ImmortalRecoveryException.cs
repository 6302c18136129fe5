namespace Immortals.Orleans;

/// <summary>
/// Thrown when an immortal grain cannot be recovered from its checkpoint, for example because a suspended method was changed since the checkpoint was written. The checkpoint is left unchanged.
/// </summary>
[GenerateSerializer]
public sealed class ImmortalRecoveryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImmortalRecoveryException"/> class.</summary>
    /// <param name="grainId">The immortal grain, as its grain id.</param>
    /// <param name="methodName">The grain method, as <c>Interface.Method</c>, or <see langword="null"/>.</param>
    /// <param name="message">Message that states what failed and what to do.</param>
    /// <param name="innerException">Exception that caused this one, or <see langword="null"/>.</param>
    public ImmortalRecoveryException(string grainId, string? methodName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        GrainId = grainId;
        MethodName = methodName;
    }

    /// <summary>The immortal grain, as its grain id.</summary>
    [Id(0)]
    public string GrainId { get; private set; }

    /// <summary>The grain method, as <c>Interface.Method</c>, or <see langword="null"/>.</summary>
    [Id(1)]
    public string? MethodName { get; private set; }
}
