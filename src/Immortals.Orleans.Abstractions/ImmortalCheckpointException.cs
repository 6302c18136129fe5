namespace Immortals.Orleans;

/// <summary>
/// Thrown to the caller of an immortal grain method whose suspended state cannot be checkpointed, for example
/// because a local contains a value that cannot be serialized. The grain's other methods continue.
/// </summary>
[GenerateSerializer]
public sealed class ImmortalCheckpointException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImmortalCheckpointException"/> class.</summary>
    /// <param name="grainId">The immortal grain, as its grain id.</param>
    /// <param name="methodName">The grain method, as <c>Interface.Method</c>, or <see langword="null"/>.</param>
    /// <param name="message">Message that states what failed and what to do.</param>
    /// <param name="innerException">Exception that caused this one, or <see langword="null"/>.</param>
    public ImmortalCheckpointException(string grainId, string? methodName, string message, Exception? innerException = null)
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
