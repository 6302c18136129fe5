using Orleans.Concurrency;

namespace Immortals.Orleans.Delivery;

/// <summary>
/// Protocol of calls between immortal grains, installed on every grain as a grain extension. Its methods interleave
/// with the grain's own methods, so a delivery never waits behind a suspended method. Grain code does not call it.
/// </summary>
/// <remarks>
/// A call is identified by the caller's grain id, the caller's incarnation and a sequence number. All arguments
/// travel as method arguments, never in <c>RequestContext</c>, because <c>RequestContext</c> flows on into later
/// calls.
/// </remarks>
public interface IImmortalDeliveryExtension : IGrainExtension
{
    /// <summary>
    /// Delivers a request. Returns once a stored checkpoint of the callee contains it, or with its result when the call
    /// already finished. Duplicates are recognized by the call identity, so callers send again until the result
    /// arrives.
    /// </summary>
    /// <param name="caller">The calling immortal grain.</param>
    /// <param name="callerIncarnation">The caller's incarnation.</param>
    /// <param name="sequence">The caller's sequence number of the call.</param>
    /// <param name="doneBelow">Every call of this caller to this grain below this number has a stored result.</param>
    /// <param name="request">The serialized Orleans request.</param>
    [AlwaysInterleave]
    Task<DeliveryReply> DeliverRequest(
        GrainId caller,
        Guid callerIncarnation,
        long sequence,
        long doneBelow,
        byte[] request);

    /// <summary>
    /// Delivers the result of a call to its caller. Returns <see cref="DeliveryStatus.Received"/> or
    /// <see cref="DeliveryStatus.Acknowledged"/>.
    /// </summary>
    /// <param name="callee">The grain that ran the call.</param>
    /// <param name="callerIncarnation">The caller's incarnation the call belongs to.</param>
    /// <param name="sequence">The caller's sequence number of the call.</param>
    /// <param name="outcome">The serialized outcome.</param>
    [AlwaysInterleave]
    Task<DeliveryStatus> DeliverResult(GrainId callee, Guid callerIncarnation, long sequence, byte[] outcome);

    /// <summary>Tells a callee that the caller stored the results of the given calls.</summary>
    /// <param name="caller">The calling immortal grain.</param>
    /// <param name="callerIncarnation">The caller's incarnation.</param>
    /// <param name="sequences">Sequence numbers of the stored results.</param>
    /// <param name="doneBelow">Every call of this caller to this grain below this number has a stored result.</param>
    [AlwaysInterleave]
    Task Acknowledge(GrainId caller, Guid callerIncarnation, long[] sequences, long doneBelow);

    /// <summary>
    /// Activates the grain, which recovers it and resumes its work. Returns whether its stored checkpoint contains
    /// methods started by clients or ordinary grains, or pending durable delays.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> Wake();
}
