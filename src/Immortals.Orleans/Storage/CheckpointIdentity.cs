using Orleans.Runtime;

namespace Immortals.Orleans.Storage;

/// <summary>
/// The complete, reversible name of one checkpoint: grain type, grain key, state name and service id, each encoded
/// with <see cref="CheckpointKeyEncoder"/> and joined by <c>.</c>.
/// </summary>
/// <remarks>
/// Stores derive their keys, blob names and file names from <see cref="Value"/>, shortened to their length limit,
/// and keep <see cref="Value"/> itself next to the checkpoint to compare on read.
/// </remarks>
/// <param name="Value">The encoded name.</param>
/// <param name="GrainId">The grain id as Orleans prints it, for messages and logs.</param>
internal readonly record struct CheckpointIdentity(string Value, string GrainId)
{
    /// <summary>Builds the identity of a grain's checkpoint.</summary>
    public static CheckpointIdentity Create(string serviceId, string stateName, GrainId grainId)
    {
        var value = string.Join(
            '.',
            CheckpointKeyEncoder.Encode(grainId.Type.AsSpan()),
            CheckpointKeyEncoder.Encode(grainId.Key.AsSpan()),
            CheckpointKeyEncoder.Encode(stateName),
            CheckpointKeyEncoder.Encode(serviceId));
        return new CheckpointIdentity(value, grainId.ToString());
    }

    /// <summary>Returns <see cref="Value"/>, shortened to a prefix plus a hash when it is too long.</summary>
    public string ToName(int maxLength) => CheckpointKeyEncoder.Shorten(Value, maxLength);
}
