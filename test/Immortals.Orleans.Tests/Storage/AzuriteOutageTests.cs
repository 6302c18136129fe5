using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Writes while a private Azurite, persisting to a temporary folder, is stopped and then restarted on the same
/// ports.
/// </summary>
public sealed class AzuriteOutageTests : IAsyncLifetime
{
    private readonly string _location = Path.Combine(Path.GetTempPath(), $"immortals-azurite-data-{Guid.NewGuid():N}");
    private AzuriteProcess? _azurite;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(_location);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    [Theory]
    [InlineData("table", 1024)]
    [InlineData("table", 64 * 1024)]
    [InlineData("blob", 1024)]
    public async Task Write_during_outage_fails_then_recovers(string kind, int size)
    {
        var connectionString = _azurite!.ConnectionString;
        var ports = (_azurite.BlobPort, _azurite.QueuePort, _azurite.TablePort);
        var container = AzureStores.UniqueContainerName();
        await using var harness = kind == "table"
            ? await AzureStores.StartTableAsync(
                connectionString,
                AzureStores.UniqueTableName(),
                container,
                options => options.MaxInlineBytes = 4096,
                ShortRetry(new TableClientOptions()),
                ShortRetry(new BlobClientOptions()))
            : await AzureStores.StartBlobAsync(connectionString, container, ShortRetry(new BlobClientOptions()));
        var expectedKind = kind == "table" ? AzureTableCheckpointStorage.StoreKind : AzureBlobCheckpointStorage.StoreKind;
        var grain = StoreHarness.Grain("outage");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(size, 1), null);
        var second = await harness.WriteAsync(grain, CheckpointState.Create(size, 2), first.ETag);

        await WaitForAzuriteSaveAsync(kind == "blob" || size > 4096, kind == "table");
        await _azurite.StopAsync();
        var failed = new global::Orleans.GrainState<CheckpointState>(CheckpointState.Create(size, 3), second.ETag);
        var error = await Assert.ThrowsAsync<CheckpointStorageException>(
            () => harness.Store.WriteStateAsync("state", grain, failed));

        Assert.Contains(grain.ToString(), error.Message);
        Assert.Contains(StoreHarness.ProviderName, error.Message);
        Assert.Contains(expectedKind, error.Message);
        Assert.False(error.IsCorrupt);
        Assert.Equal(second.ETag, failed.ETag);

        await _azurite.DisposeAsync();
        _azurite = await AzuriteProcess.StartAsync(_location, ports);
        var afterRestart = await harness.ReadAsync(grain);
        Assert.Equal(2, afterRestart.State!.Version);
        Assert.Equal(CheckpointState.Create(size, 2).Data, afterRestart.State!.Data);

        await harness.WriteAsync(grain, CheckpointState.Create(size, 4), afterRestart.ETag);
        Assert.Equal(4, (await harness.ReadAsync(grain)).State!.Version);
    }

    // Azurite 3.37.0 keeps its metadata in LokiJS databases that it saves every 5 seconds, so a killed Azurite
    // loses writes newer than the last save. Waiting for the save keeps the test about the store, not Azurite.
    private async Task WaitForAzuriteSaveAsync(bool blobs, bool tables)
    {
        var since = DateTime.UtcNow;
        var files = new List<string>();
        if (blobs)
        {
            files.Add("__azurite_db_blob__.json");
            files.Add("__azurite_db_blob_extent__.json");
        }

        if (tables)
        {
            files.Add("__azurite_db_table__.json");
        }

        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (files.All(file => File.GetLastWriteTimeUtc(Path.Combine(_location, file)) > since))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Azurite did not save {string.Join(", ", files)} within 15 s");
    }

    private static T ShortRetry<T>(T options)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }
}
