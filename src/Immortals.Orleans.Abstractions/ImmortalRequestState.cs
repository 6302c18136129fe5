namespace Immortals.Orleans;

/// <summary>State of a method of an immortal grain that a client started under a request id.</summary>
[GenerateSerializer]
public enum ImmortalRequestState
{
    /// <summary>
    /// No stored checkpoint of the grain contains the request id: it was never used, its request waits in Orleans'
    /// queue or has not been stored yet, it was lost with its silo before its first checkpoint, or its expired-id
    /// record was dropped after <c>ImmortalOptions.ExpiredRequestIdRetention</c>.
    /// </summary>
    Unknown = 0,

    /// <summary>The request is stored and waits for the grain's lock behind another method.</summary>
    Pending = 1,

    /// <summary>The method has started and has not finished.</summary>
    Running = 2,

    /// <summary>The method returned; <see cref="ImmortalRequestStatus.Result"/> contains its result.</summary>
    Succeeded = 3,

    /// <summary>
    /// The method threw; <see cref="ImmortalRequestStatus.ErrorType"/> and
    /// <see cref="ImmortalRequestStatus.ErrorMessage"/> describe the exception.
    /// </summary>
    Failed = 4,

    /// <summary>
    /// Cancellation was requested and the method ended with an <see cref="OperationCanceledException"/> for the
    /// <see cref="CancellationToken"/> that it received, or for no token.
    /// </summary>
    Canceled = 5,

    /// <summary>
    /// The method finished and its result was dropped after <c>ImmortalOptions.RequestResultRetention</c>. A call
    /// with the id is rejected with <see cref="ImmortalRequestExpiredException"/> and does not run the method again,
    /// until the grain forgets the id after <c>ImmortalOptions.ExpiredRequestIdRetention</c>.
    /// </summary>
    Expired = 6,
}
