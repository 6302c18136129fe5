namespace Immortals.Orleans;

/// <summary>
/// Thrown to the sender of a signal when the grain already stores another value under the same signal id. The first
/// stored value is final; the grain is unchanged.
/// </summary>
[GenerateSerializer]
public sealed class ImmortalSignalConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImmortalSignalConflictException"/> class.</summary>
    /// <param name="grainId">The immortal grain, as its grain id.</param>
    /// <param name="signalId">The signal id.</param>
    /// <param name="message">Message that states what failed and what to do.</param>
    public ImmortalSignalConflictException(string grainId, string signalId, string message)
        : base(message)
    {
        GrainId = grainId;
        SignalId = signalId;
    }

    /// <summary>The immortal grain, as its grain id.</summary>
    [Id(0)]
    public string GrainId { get; private set; }

    /// <summary>The signal id.</summary>
    [Id(1)]
    public string SignalId { get; private set; }
}
