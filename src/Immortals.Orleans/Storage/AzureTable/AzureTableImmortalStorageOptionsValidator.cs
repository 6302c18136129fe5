using Orleans;
using Orleans.Configuration;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>Checks <see cref="AzureTableImmortalStorageOptions"/> at silo start.</summary>
internal sealed class AzureTableImmortalStorageOptionsValidator(
    AzureTableImmortalStorageOptions options,
    string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        const string kind = AzureTableCheckpointStorage.StoreKind;
        StorageOptionsValidation.RunNested(
            new AzureTableGrainStorageOptionsValidator(options.Table, name),
            kind,
            name,
            nameof(options.Table),
            "TableServiceClient");
        StorageOptionsValidation.RunNested(
            new AzureBlobStorageOptionsValidator(options.SpillBlobs, name),
            kind,
            name,
            nameof(options.SpillBlobs),
            "BlobServiceClient");

        // Orleans keeps a client made by ConfigureBlobServiceClient in a delegate that it does not expose.
        if (options.SpillBlobs.BlobServiceClient is null)
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                $"{nameof(options.SpillBlobs)}.{nameof(options.SpillBlobs.BlobServiceClient)}",
                "is not set. Assign a client with an explicit endpoint to it; the store writes spill blobs through " +
                "that client, and a client configured with ConfigureBlobServiceClient is not visible to it.");
        }

        if (options.MaxInlineBytes is < 0 or > AzureTableImmortalStorageOptions.MaxInlineBytesLimit)
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                nameof(options.MaxInlineBytes),
                $"is {options.MaxInlineBytes}; it must be between 0 and " +
                $"{AzureTableImmortalStorageOptions.MaxInlineBytesLimit} bytes.");
        }
    }
}
