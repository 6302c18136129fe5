namespace Immortals.Orleans.Storage;

/// <summary>
/// A stored checkpoint: the identity of its grain and the grain state serialized by Orleans' binary serializer.
/// </summary>
/// <remarks>
/// The identity is compared on every read, so a checkpoint found under a shortened name that belongs to another
/// grain is reported, never returned.
/// </remarks>
[GenerateSerializer]
[Alias("Immortals.Orleans.Storage.CheckpointEnvelope")]
internal sealed class CheckpointEnvelope
{
    /// <summary>Version of this layout.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Layout version, <see cref="CurrentFormat"/> when written by this code.</summary>
    [Id(0)]
    public int Format { get; set; }

    /// <summary>The complete <see cref="CheckpointIdentity.Value"/> of the checkpoint.</summary>
    [Id(1)]
    public string Identity { get; set; } = "";

    /// <summary>The grain state in Orleans' binary serialization format.</summary>
    [Id(2)]
    public byte[] Payload { get; set; } = [];
}
