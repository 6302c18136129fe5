using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>Checkpoint stores registered on a real silo, created and used through the silo's own start-up.</summary>
public sealed class SiloStartupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"immortals-silo-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Silo_start_creates_storage()
    {
        var table = AzureStores.UniqueTableName();
        var spillContainer = AzureStores.UniqueContainerName();
        var blobContainer = AzureStores.UniqueContainerName();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddAzureTableImmortalStorage("table-checkpoints", options =>
            {
                options.Table.TableServiceClient = new TableServiceClient(azurite.ConnectionString);
                options.Table.TableName = table;
                options.SpillBlobs.BlobServiceClient = new BlobServiceClient(azurite.ConnectionString);
                options.SpillBlobs.ContainerName = spillContainer;
            })
            .AddAzureBlobImmortalStorage("blob-checkpoints", options =>
            {
                options.Blob.BlobServiceClient = new BlobServiceClient(azurite.ConnectionString);
                options.Blob.ContainerName = blobContainer;
            })
            .AddLocalDirectoryImmortalStorage("local-checkpoints", options => options.Path = _directory));
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            Assert.True(Directory.Exists(_directory));
            var blobs = new BlobServiceClient(azurite.ConnectionString);
            Assert.True((await blobs.GetBlobContainerClient(spillContainer).ExistsAsync()).Value);
            Assert.True((await blobs.GetBlobContainerClient(blobContainer).ExistsAsync()).Value);
            var tables = new List<string>();
            await foreach (var item in new TableServiceClient(azurite.ConnectionString).QueryAsync(t => t.Name == table))
            {
                tables.Add(item.Name);
            }

            Assert.Single(tables);

            foreach (var name in new[] { "table-checkpoints", "blob-checkpoints", "local-checkpoints" })
            {
                var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(name);
                var grain = StoreHarness.Grain($"silo-{name}");
                var written = new global::Orleans.GrainState<CheckpointState>(CheckpointState.Create(2048, 5), null);
                await storage.WriteStateAsync("state", grain, written);
                var read = new global::Orleans.GrainState<CheckpointState>();
                await storage.ReadStateAsync("state", grain, read);
                Assert.Equal(5, read.State!.Version);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
