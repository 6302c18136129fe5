namespace Immortals.Orleans.Storage;

/// <summary>A checkpoint as read from a store: the serialized grain state and the ETag to write it back with.</summary>
/// <param name="Payload">The grain state in Orleans' binary serialization format.</param>
/// <param name="ETag">The ETag that a following write or clear must present.</param>
internal readonly record struct StoredCheckpoint(byte[] Payload, string ETag);
