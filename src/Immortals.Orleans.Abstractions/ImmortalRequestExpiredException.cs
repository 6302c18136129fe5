namespace Immortals.Orleans;

/// <summary>
/// Thrown when a request id is reused after the retention period of its result has passed. The method is not run
/// again while the grain remembers the expired id (<c>ImmortalOptions.ExpiredRequestIdRetention</c>, 30 days by
/// default); choose a new request id for a new request.
/// </summary>
[GenerateSerializer]
public sealed class ImmortalRequestExpiredException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ImmortalRequestExpiredException"/> class.</summary>
    /// <param name="grainId">The immortal grain, as its grain id.</param>
    /// <param name="methodName">The grain method, as <c>Interface.Method</c>, or <see langword="null"/>.</param>
    /// <param name="message">Message that states what failed and what to do.</param>
    /// <param name="innerException">Exception that caused this one, or <see langword="null"/>.</param>
    public ImmortalRequestExpiredException(string grainId, string? methodName, string message, Exception? innerException = null)
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
