using Orleans.Configuration;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Options of a checkpoint store that keeps small checkpoints in an Azure table entity and moves larger ones to a
/// blob that the entity points to.
/// </summary>
public sealed class AzureTableImmortalStorageOptions
{
    /// <summary>Default name of the table.</summary>
    public const string DefaultTableName = "ImmortalCheckpoints";

    /// <summary>Default name of the blob container for checkpoints too large for an entity.</summary>
    public const string DefaultSpillContainerName = "immortal-checkpoint-spill";

    /// <summary>
    /// Largest value of <see cref="MaxInlineBytes"/>. Orleans' table storage rejects serialized state above 960 KiB
    /// (15 binary properties of 64 KiB); 4 KiB stay free for the checkpoint's identity and record fields.
    /// </summary>
    public const int MaxInlineBytesLimit = (960 - 4) * 1024;

    /// <summary>
    /// Options of the Orleans Azure Table grain storage that keeps the entities: set
    /// <see cref="global::Orleans.Persistence.AzureStorage.AzureStorageOperationOptions.TableServiceClient"/> and, if
    /// needed, <see cref="AzureTableStorageOptions.TableName"/> and <see cref="AzureTableStorageOptions.InitStage"/>.
    /// </summary>
    /// <remarks>
    /// The store always writes Orleans' binary format and deletes the entity on clear, so
    /// <see cref="AzureTableStorageOptions.GrainStorageSerializer"/>, <see cref="AzureTableStorageOptions.UseStringFormat"/>
    /// and <see cref="AzureTableStorageOptions.DeleteStateOnClear"/> are overwritten at start-up.
    /// </remarks>
    public AzureTableStorageOptions Table { get; } = new() { TableName = DefaultTableName };

    /// <summary>
    /// Options of the Orleans Azure Blob grain storage that keeps checkpoints larger than
    /// <see cref="MaxInlineBytes"/>: set <see cref="AzureBlobStorageOptions.BlobServiceClient"/> and, if needed,
    /// <see cref="AzureBlobStorageOptions.ContainerName"/>.
    /// </summary>
    public AzureBlobStorageOptions SpillBlobs { get; } = new() { ContainerName = DefaultSpillContainerName };

    /// <summary>
    /// Largest serialized grain state, in bytes, kept inside the table entity; larger checkpoints go to a blob.
    /// From 0 (every checkpoint in a blob) to <see cref="MaxInlineBytesLimit"/>, the default.
    /// </summary>
    public int MaxInlineBytes { get; set; } = MaxInlineBytesLimit;
}
