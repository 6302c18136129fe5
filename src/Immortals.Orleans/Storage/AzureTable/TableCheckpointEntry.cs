namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// The record kept in a checkpoint's table entity: either the serialized grain state itself, or the name and
/// ETag of the blob that stores it, plus the write id and the generation of the write that stored it.
/// </summary>
[GenerateSerializer]
[Alias("Immortals.Orleans.Storage.AzureTable.TableCheckpointEntry")]
internal sealed class TableCheckpointEntry
{
    /// <summary>Version of this layout. Version 2 added the write id, the generation and the checksum.</summary>
    public const int CurrentFormat = 2;

    /// <summary>Layout version, <see cref="CurrentFormat"/> when written by this code.</summary>
    [Id(0)]
    public int Format { get; set; }

    /// <summary>The complete <see cref="CheckpointIdentity.Value"/> of the checkpoint.</summary>
    [Id(1)]
    public string Identity { get; set; } = "";

    /// <summary>The grain state in Orleans' binary format, or null when it lives in a blob.</summary>
    [Id(2)]
    public byte[]? Payload { get; set; }

    /// <summary>
    /// Id of the blob that stores the grain state (<see cref="SpillBlobName"/> shows its layout), or null when it
    /// is inline.
    /// </summary>
    [Id(3)]
    public string? SpillId { get; set; }

    /// <summary>ETag of that blob when it was written; a different ETag on read means the blob was replaced.</summary>
    [Id(4)]
    public string? SpillETag { get; set; }

    /// <summary>Size of the serialized grain state in that blob, in bytes.</summary>
    [Id(5)]
    public long SpillLength { get; set; }

    /// <summary>Fresh id of the write that stored this entity.</summary>
    [Id(6)]
    public Guid WriteId { get; set; }

    /// <summary>
    /// Number of writes of this entity since it was created: 1 for the first write, one more for each later one.
    /// A spill blob carries the generation of the entity that points to it.
    /// </summary>
    [Id(7)]
    public long Generation { get; set; }

    /// <summary><see cref="PayloadChecksum"/> of the grain state, inline or in the blob.</summary>
    [Id(8)]
    public ulong Checksum { get; set; }
}
