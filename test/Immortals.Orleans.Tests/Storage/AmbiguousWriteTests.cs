using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Testing;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Writes whose response is lost after the server applied them. The Azure SDK retries, the retry fails on the
/// condition that the first attempt already changed, and the store must still report success.
/// </summary>
public sealed class AmbiguousWriteTests : IClassFixture<AzuriteFixture>
{
    private const int InlineLimit = 4096;
    private const int Small = 1024;
    private const int Large = 16 * 1024;

    private readonly AzuriteFixture _azurite;
    private readonly string _table = AzureStores.UniqueTableName();
    private readonly string _container = AzureStores.UniqueContainerName();
    private readonly LoseResponsePolicy _tablePolicy;
    private readonly LoseResponsePolicy _blobPolicy;
    private readonly TableClientOptions _tableOptions = new();
    private readonly BlobClientOptions _blobOptions = new();

    public AmbiguousWriteTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _tablePolicy = LoseResponsePolicy.AddTo(_tableOptions);
        _blobPolicy = LoseResponsePolicy.AddTo(_blobOptions);
    }

    [Theory]
    [InlineData(Small, Small, "table")]
    [InlineData(Small, Large, "table")]
    [InlineData(Large, Small, "table")]
    [InlineData(Large, Large + 1, "table")]
    [InlineData(Small, Large, "upload")]
    [InlineData(Large, Large + 1, "upload")]
    public async Task Table_update_survives_lost_response(int fromSize, int toSize, string lost)
    {
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain($"lost-update-{fromSize}-{toSize}-{lost}");
        var previous = await harness.WriteAsync(grain, CheckpointState.Create(fromSize, 1), null);

        DropNext(lost);
        var written = await harness.WriteAsync(grain, CheckpointState.Create(toSize, 2), previous.ETag);

        Assert.Equal(1, _tablePolicy.Dropped + _blobPolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(CheckpointState.Create(toSize, 2).Data, read.State!.Data);
        Assert.Equal(toSize > InlineLimit ? 1 : 0, (await SpillBlobNamesAsync()).Count);

        await harness.WriteAsync(grain, CheckpointState.Create(Small, 3), written.ETag);
        Assert.Equal(3, (await harness.ReadAsync(grain)).State!.Version);
    }

    [Theory]
    [InlineData(Small, "table")]
    [InlineData(Large, "table")]
    [InlineData(Large, "upload")]
    public async Task Table_insert_survives_lost_response(int size, string lost)
    {
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain($"lost-insert-{size}-{lost}");

        DropNext(lost);
        var written = await harness.WriteAsync(grain, CheckpointState.Create(size, 1), null);

        Assert.Equal(1, _tablePolicy.Dropped + _blobPolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(CheckpointState.Create(size, 1).Data, read.State!.Data);
    }

    [Theory]
    [InlineData(Small)]
    [InlineData(Large)]
    public async Task Table_timeout_after_apply_succeeds(int size)
    {
        // Without retries the timeout reaches the store, which must find out that the write landed.
        _tableOptions.Retry.MaxRetries = 0;
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain($"timeout-{size}");
        var previous = await harness.WriteAsync(grain, CheckpointState.Create(size, 1), null);

        _tablePolicy.DropNext(LoseResponsePolicy.IsEntityWrite, LoseResponsePolicy.Timeout);
        var written = await harness.WriteAsync(grain, CheckpointState.Create(size, 2), previous.ETag);

        Assert.Equal(1, _tablePolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(2, read.State!.Version);
        Assert.Equal(size > InlineLimit ? 1 : 0, (await SpillBlobNamesAsync()).Count);
    }

    [Theory]
    [InlineData(Small)]
    [InlineData(Large)]
    public async Task Table_lost_conflict_stays_conflict(int size)
    {
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain($"lost-conflict-{size}");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(size, 1), null);
        var second = await harness.WriteAsync(grain, CheckpointState.Create(size, 2), first.ETag);

        DropNext("table");
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(size, 3), first.ETag));

        Assert.Equal(1, _tablePolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(second.ETag, read.ETag);
        Assert.Equal(2, read.State!.Version);
        Assert.Equal(size > InlineLimit ? 1 : 0, (await SpillBlobNamesAsync()).Count);
    }

    [Fact]
    public async Task Table_clear_survives_lost_response()
    {
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain("lost-clear");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(Large, 1), null);

        _tablePolicy.DropNext(LoseResponsePolicy.IsDelete);
        await harness.Store.ClearStateAsync("state", grain, written);

        Assert.Equal(1, _tablePolicy.Dropped);
        Assert.False((await harness.ReadAsync(grain)).RecordExists);
        Assert.Empty(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Unknown_outcome_keeps_new_blob()
    {
        await using var harness = await StartTableAsync();
        var grain = StoreHarness.Grain("unknown-outcome");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(Large, 1), null);

        // Every attempt of the entity replacement fails before it is sent, and the entity is unchanged
        // afterwards, so the writer cannot rule out that a request is still in flight.
        _tablePolicy.FailUnsent(LoseResponsePolicy.IsEntityWrite);
        var error = await Assert.ThrowsAsync<CheckpointStorageException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(Large, 2), first.ETag));
        _tablePolicy.FailUnsent(null);

        Assert.False(error.IsCorrupt);
        Assert.Equal(2, (await SpillBlobNamesAsync()).Count);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(1, read.State!.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Blob_write_survives_lost_response(bool existing)
    {
        await using var harness = await AzureStores.StartBlobAsync(_azurite.ConnectionString, _container, _blobOptions);
        var grain = StoreHarness.Grain($"blob-lost-{existing}");
        var previous = existing ? (await harness.WriteAsync(grain, CheckpointState.Create(Small, 1), null)).ETag : null;

        _blobPolicy.DropNext(LoseResponsePolicy.IsBlobUpload);
        var written = await harness.WriteAsync(grain, CheckpointState.Create(Small, 2), previous);

        Assert.Equal(1, _blobPolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(2, read.State!.Version);
    }

    [Fact]
    public async Task Blob_timeout_after_apply_succeeds()
    {
        _blobOptions.Retry.MaxRetries = 0;
        await using var harness = await AzureStores.StartBlobAsync(_azurite.ConnectionString, _container, _blobOptions);
        var grain = StoreHarness.Grain("blob-timeout");
        var previous = await harness.WriteAsync(grain, CheckpointState.Create(Small, 1), null);

        _blobPolicy.DropNext(LoseResponsePolicy.IsBlobUpload, LoseResponsePolicy.Timeout);
        var written = await harness.WriteAsync(grain, CheckpointState.Create(Small, 2), previous.ETag);

        Assert.Equal(1, _blobPolicy.Dropped);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(2, read.State!.Version);
    }

    [Fact]
    public async Task Blob_lost_conflict_stays_conflict()
    {
        await using var harness = await AzureStores.StartBlobAsync(_azurite.ConnectionString, _container, _blobOptions);
        var grain = StoreHarness.Grain("blob-lost-conflict");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(Small, 1), null);
        await harness.WriteAsync(grain, CheckpointState.Create(Small, 2), first.ETag);

        _blobPolicy.DropNext(LoseResponsePolicy.IsBlobUpload);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(Small, 3), first.ETag));

        Assert.Equal(1, _blobPolicy.Dropped);
        Assert.Equal(2, (await harness.ReadAsync(grain)).State!.Version);
    }

    [Fact]
    public async Task Blob_clear_survives_lost_response()
    {
        await using var harness = await AzureStores.StartBlobAsync(_azurite.ConnectionString, _container, _blobOptions);
        var grain = StoreHarness.Grain("blob-lost-clear");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(Small, 1), null);

        _blobPolicy.DropNext(LoseResponsePolicy.IsDelete);
        await harness.Store.ClearStateAsync("state", grain, written);

        Assert.Equal(1, _blobPolicy.Dropped);
        Assert.False((await harness.ReadAsync(grain)).RecordExists);
    }

    private void DropNext(string lost)
    {
        if (lost == "table")
        {
            _tablePolicy.DropNext(LoseResponsePolicy.IsEntityWrite);
        }
        else
        {
            _blobPolicy.DropNext(LoseResponsePolicy.IsBlobUpload);
        }
    }

    private Task<StoreHarness> StartTableAsync() =>
        AzureStores.StartTableAsync(
            _azurite.ConnectionString,
            _table,
            _container,
            options => options.MaxInlineBytes = InlineLimit,
            _tableOptions,
            _blobOptions);

    private async Task<List<string>> SpillBlobNamesAsync()
    {
        var container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(_container);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return names;
    }
}
