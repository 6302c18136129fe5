namespace Immortals.Orleans.Storage;

/// <summary>
/// A stored checkpoint: the identity of its grain, the id of the write that stored it, its generation, and the
/// grain state serialized by Orleans' binary serializer together with its checksum.
/// </summary>
/// <remarks>
/// The identity and the checksum are compared on every read, so a checkpoint found under a shortened name that
/// belongs to another grain, or one whose bytes changed, is reported, never returned. The write id lets a writer
/// whose response was lost find out whether its write landed.
/// </remarks>
[GenerateSerializer]
[Alias("Immortals.Orleans.Storage.CheckpointEnvelope")]
internal sealed class CheckpointEnvelope
{
    /// <summary>Version of this layout. Version 2 added the write id, the generation and the checksum.</summary>
    public const int CurrentFormat = 2;

    /// <summary>Layout version, <see cref="CurrentFormat"/> when written by this code.</summary>
    [Id(0)]
    public int Format { get; set; }

    /// <summary>The complete <see cref="CheckpointIdentity.Value"/> of the checkpoint.</summary>
    [Id(1)]
    public string Identity { get; set; } = "";

    /// <summary>The grain state in Orleans' binary serialization format.</summary>
    [Id(2)]
    public byte[] Payload { get; set; } = [];

    /// <summary>Fresh id of the write that stored this record.</summary>
    [Id(3)]
    public Guid WriteId { get; set; }

    /// <summary>
    /// Generation of the table entity that points to this spill blob, or 0 in stores that have no generations.
    /// </summary>
    [Id(4)]
    public long Generation { get; set; }

    /// <summary><see cref="PayloadChecksum"/> of <see cref="Payload"/>.</summary>
    [Id(5)]
    public ulong Checksum { get; set; }
}
