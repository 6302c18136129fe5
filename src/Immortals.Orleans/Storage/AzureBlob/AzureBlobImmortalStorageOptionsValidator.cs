using Orleans;
using Orleans.Configuration;

namespace Immortals.Orleans.Storage.AzureBlob;

/// <summary>Checks <see cref="AzureBlobImmortalStorageOptions"/> at silo start.</summary>
internal sealed class AzureBlobImmortalStorageOptionsValidator(
    AzureBlobImmortalStorageOptions options,
    string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration() =>
        StorageOptionsValidation.RunNested(
            new AzureBlobStorageOptionsValidator(options.Blob, name),
            AzureBlobCheckpointStorage.StoreKind,
            name,
            nameof(options.Blob),
            "BlobServiceClient");
}
