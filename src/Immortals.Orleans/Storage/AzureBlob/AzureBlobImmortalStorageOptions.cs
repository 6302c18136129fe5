using Orleans.Configuration;

namespace Immortals.Orleans.Storage.AzureBlob;

/// <summary>Options of a checkpoint store that keeps one Azure blob per grain checkpoint.</summary>
public sealed class AzureBlobImmortalStorageOptions
{
    /// <summary>Default name of the blob container.</summary>
    public const string DefaultContainerName = "immortal-checkpoints";

    /// <summary>
    /// Options of the Orleans Azure Blob grain storage that the store writes through: set
    /// <see cref="AzureBlobStorageOptions.BlobServiceClient"/> and, if needed,
    /// <see cref="AzureBlobStorageOptions.ContainerName"/> and <see cref="AzureBlobStorageOptions.InitStage"/>.
    /// </summary>
    /// <remarks>
    /// The store always writes Orleans' binary format and deletes the blob on clear, so
    /// <see cref="AzureBlobStorageOptions.GrainStorageSerializer"/> and
    /// <see cref="AzureBlobStorageOptions.DeleteStateOnClear"/> are overwritten at start-up.
    /// </remarks>
    public AzureBlobStorageOptions Blob { get; } = new() { ContainerName = DefaultContainerName };
}
