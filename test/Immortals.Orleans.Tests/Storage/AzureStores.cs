using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Storage.AzureTable;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>Starts Azure checkpoint stores on unique tables and containers of an Azurite account.</summary>
internal static class AzureStores
{
    public static string UniqueTableName() => $"t{Guid.NewGuid():N}";

    public static string UniqueContainerName() => $"c{Guid.NewGuid():N}";

    public static Task<StoreHarness> StartTableAsync(
        string connectionString,
        string tableName,
        string containerName,
        Action<AzureTableImmortalStorageOptions>? configure = null,
        TableClientOptions? tableClientOptions = null,
        BlobClientOptions? blobClientOptions = null,
        string? serviceId = null) =>
        StoreHarness.StartAsync(
            services => services.AddAzureTableImmortalStorage(StoreHarness.ProviderName, options =>
            {
                options.Table.TableServiceClient = new TableServiceClient(connectionString, tableClientOptions);
                options.Table.TableName = tableName;
                options.SpillBlobs.BlobServiceClient = new BlobServiceClient(connectionString, blobClientOptions);
                options.SpillBlobs.ContainerName = containerName;
                configure?.Invoke(options);
            }),
            serviceId);

    public static Task<StoreHarness> StartBlobAsync(
        string connectionString,
        string containerName,
        BlobClientOptions? clientOptions = null,
        string? serviceId = null) =>
        StoreHarness.StartAsync(
            services => services.AddAzureBlobImmortalStorage(StoreHarness.ProviderName, options =>
            {
                options.Blob.BlobServiceClient = new BlobServiceClient(connectionString, clientOptions);
                options.Blob.ContainerName = containerName;
            }),
            serviceId);
}
