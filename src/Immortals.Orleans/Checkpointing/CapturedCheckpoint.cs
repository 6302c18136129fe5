using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Roots;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// A record ready to write, with the in-memory items whose state changes once the write succeeds.
/// </summary>
/// <param name="Record">The record.</param>
/// <param name="Fields">The grain's fields serialized on their own, to tell later whether they changed.</param>
/// <param name="Roots">Roots the record holds; they become durable.</param>
/// <param name="ReceivedCalls">Calls whose results the record holds for the first time; they are acknowledged.</param>
/// <param name="DroppedCalls">Answered calls no frame refers to; the record leaves them out.</param>
/// <param name="Outbox">Results owed to callers that the record holds; they may be sent.</param>
internal sealed record CapturedCheckpoint(
    CheckpointRecord Record,
    byte[] Fields,
    IReadOnlyList<ActiveRoot> Roots,
    IReadOnlyList<PendingCall> ReceivedCalls,
    IReadOnlyList<PendingCall> DroppedCalls,
    IReadOnlyList<OutboxEntry> Outbox);
