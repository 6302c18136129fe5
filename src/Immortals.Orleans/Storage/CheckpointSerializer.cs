using Orleans.Serialization;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Serializes grain state and checkpoint records with Orleans' binary serializer, the compact format that every
/// checkpoint store of the plugin writes.
/// </summary>
internal sealed class CheckpointSerializer(Serializer serializer)
{
    /// <summary>Serializes a value to a new array.</summary>
    public byte[] Serialize<T>(T value) => serializer.SerializeToArray(value);

    /// <summary>Deserializes a value written by <see cref="Serialize{T}"/>.</summary>
    public T Deserialize<T>(ReadOnlyMemory<byte> bytes) => serializer.Deserialize<T>(bytes)!;
}
