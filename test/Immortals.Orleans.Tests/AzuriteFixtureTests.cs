using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Tests;

public sealed class AzuriteFixtureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Fixture_serves_blobs_and_tables()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"c{Guid.NewGuid():N}");
        await container.CreateAsync();
        await container.GetBlobClient("b").UploadAsync(BinaryData.FromString("payload"));
        var downloaded = await container.GetBlobClient("b").DownloadContentAsync();
        Assert.Equal("payload", downloaded.Value.Content.ToString());

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient($"t{Guid.NewGuid():N}");
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = 42 });
        var entity = await table.GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal(42, entity.Value.GetInt32("Value"));
    }

    [Fact]
    public async Task Process_binds_loopback_and_stops_on_dispose()
    {
        var process = await AzuriteProcess.StartAsync();
        Assert.Contains("127.0.0.1", process.ConnectionString);
        Assert.True(process.IsRunning);

        await process.DisposeAsync();

        Assert.False(process.IsRunning);
        using var client = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(
            () => client.ConnectAsync("127.0.0.1", process.BlobPort));
    }
}
