using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Hosting;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// The Azure Table checkpoint store of the benchmark silos, on Azurite, with a unique table and spill container and
/// a counter of every storage request the store sends.
/// </summary>
internal sealed class CheckpointStore
{
    /// <summary>Name of the storage provider.</summary>
    public const string StorageName = "checkpoints";

    private readonly string _connectionString;

    /// <summary>A store on the Azurite of <paramref name="connectionString"/>, in a new table and container.</summary>
    public CheckpointStore(string connectionString, string? tableName = null)
    {
        _connectionString = connectionString;
        TableName = tableName ?? $"bench{Guid.NewGuid():N}";
    }

    /// <summary>Name of the checkpoint table.</summary>
    public string TableName { get; }

    /// <summary>Requests sent to the table and blob endpoints.</summary>
    public StorageRequestCounter Requests { get; } = new();

    /// <summary>Adds immortal grains with this store, leaving every other option at its default.</summary>
    public void AddTo(ISiloBuilder silo)
    {
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(Requests, HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(Requests, HttpPipelinePosition.PerRetry);

        silo.AddImmortals(options => options.StorageName = StorageName);
        silo.AddAzureTableImmortalStorage(StorageName, options =>
        {
            options.Table.TableServiceClient = new TableServiceClient(_connectionString, tableOptions);
            options.Table.TableName = TableName;
            options.SpillBlobs.BlobServiceClient = new BlobServiceClient(_connectionString, blobOptions);
            options.SpillBlobs.ContainerName = "spill" + TableName;
        });
    }
}
