using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Roots;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// A record ready to write, with the in-memory items whose state changes once the write succeeds.
/// </summary>
/// <param name="Record">The record.</param>
/// <param name="Fields">The grain's fields serialized on their own, to tell later whether they changed.</param>
/// <param name="Roots">Roots the record contains. They become durable.</param>
/// <param name="ReceivedCalls">Calls whose results the record contains for the first time. They are acknowledged.</param>
/// <param name="DroppedCalls">Answered calls no frame refers to. The record leaves them out.</param>
/// <param name="Outbox">Results owed to callers that the record contains. They may be sent.</param>
internal sealed record CapturedCheckpoint(
    CheckpointRecord Record,
    byte[] Fields,
    IReadOnlyList<ActiveRoot> Roots,
    IReadOnlyList<PendingCall> ReceivedCalls,
    IReadOnlyList<PendingCall> DroppedCalls,
    IReadOnlyList<OutboxEntry> Outbox);
