using Azure.Storage.Blobs;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Spill blobs under concurrent activity. An orphan sweep runs while a writer is about to flip to its new blob, and
/// a reader's blob is replaced and deleted between its entity read and its blob read. Blob content that does not
/// match the entity is reported.
/// </summary>
public sealed class SpillBlobRaceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int InlineLimit = 4096;
    private const int Small = 1024;
    private const int Large = 16 * 1024;

    private readonly string _table = AzureStores.UniqueTableName();
    private readonly string _container = AzureStores.UniqueContainerName();
    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";

    [Theory]
    [InlineData(Small)]
    [InlineData(Large)]
    public async Task Sweep_racing_writer_keeps_pending_blob(int fromSize)
    {
        var grain = StoreHarness.Grain($"sweep-race-{fromSize}");
        await using var writer = await StartAsync();
        await using var sweeper = await StartAsync();
        var previous = await writer.WriteAsync(grain, CheckpointState.Create(fromSize, 1), null);
        var hooked = Hook(writer);
        var swept = -1;
        var blobsDuringSweep = new List<string>();
        hooked.BeforeReplace = async () =>
        {
            blobsDuringSweep.AddRange(await SpillBlobNamesAsync());
            swept = await Table(sweeper).DeleteOrphanBlobsAsync(TimeSpan.Zero, CancellationToken.None);
        };

        var written = await writer.WriteAsync(grain, CheckpointState.Create(Large, 2), previous.ETag);

        Assert.Equal(fromSize > InlineLimit ? 2 : 1, blobsDuringSweep.Count);
        Assert.Equal(0, swept);
        var read = await sweeper.ReadAsync(grain);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(CheckpointState.Create(Large, 2).Data, read.State!.Data);
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Sweep_deletes_only_orphans()
    {
        var grain = StoreHarness.Grain("sweep-orphans");
        var other = StoreHarness.Grain("sweep-other");
        await using var store = await StartAsync();
        var first = await store.WriteAsync(grain, CheckpointState.Create(Large, 1), null);
        await store.WriteAsync(other, CheckpointState.Create(Large, 7), null);

        // A writer uploads generation 2 and crashes before the flip. Once another writer flips to its own
        // generation 2 blob, no entity can ever point to the first upload.
        await using (var crashing = await StartAsync())
        {
            Table(crashing).InterceptSteps(steps => new FailingTableSteps(steps, CrashPoint.AfterUpload));
            await Assert.ThrowsAsync<CheckpointStorageException>(
                () => crashing.WriteAsync(grain, CheckpointState.Create(Large, 2), first.ETag));
        }

        Assert.Equal(0, await Table(store).DeleteOrphanBlobsAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(3, (await SpillBlobNamesAsync()).Count);

        await store.WriteAsync(grain, CheckpointState.Create(Large, 3), first.ETag);
        Assert.Equal(3, (await SpillBlobNamesAsync()).Count);
        Assert.Equal(0, await Table(store).DeleteOrphanBlobsAsync(TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(1, await AzureTableImmortalStorageMaintenance.DeleteOrphanSpillBlobsAsync(
            store.Services,
            StoreHarness.ProviderName,
            TimeSpan.Zero));

        Assert.Equal(2, (await SpillBlobNamesAsync()).Count);
        Assert.Equal(3, (await store.ReadAsync(grain)).State!.Version);
        Assert.Equal(7, (await store.ReadAsync(other)).State!.Version);
    }

    [Fact]
    public async Task Sweep_rejects_unknown_provider()
    {
        await using var store = await StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => AzureTableImmortalStorageMaintenance.DeleteOrphanSpillBlobsAsync(
                store.Services,
                "no-such-provider",
                TimeSpan.FromHours(1)));

        Assert.Contains("no-such-provider", error.Message);
        Assert.Contains("not registered", error.Message);
    }

    [Fact]
    public async Task Sweep_of_grain_without_entity()
    {
        var grain = StoreHarness.Grain("sweep-no-entity");
        await using var store = await StartAsync();
        await using (var crashing = await StartAsync())
        {
            Table(crashing).InterceptSteps(steps => new FailingTableSteps(steps, CrashPoint.AfterUpload));
            await Assert.ThrowsAsync<CheckpointStorageException>(
                () => crashing.WriteAsync(grain, CheckpointState.Create(Large, 1), null));
        }

        var table = Table(store);
        Assert.Equal(0, await table.DeleteOrphanBlobsAsync("state", grain, TimeSpan.FromHours(1), default));
        Assert.Single(await SpillBlobNamesAsync());
        Assert.Equal(1, await table.DeleteOrphanBlobsAsync("state", grain, TimeSpan.Zero, default));
        Assert.Empty(await SpillBlobNamesAsync());
        Assert.False((await store.ReadAsync(grain)).RecordExists);
    }

    [Theory]
    [InlineData(Small)]
    [InlineData(Large)]
    public async Task Read_retries_when_blob_replaced(int toSize)
    {
        var grain = StoreHarness.Grain($"read-race-{toSize}");
        await using var reader = await StartAsync();
        await using var writer = await StartAsync();
        var first = await writer.WriteAsync(grain, CheckpointState.Create(Large, 1), null);
        string? secondETag = null;
        Hook(reader).BeforeReadSpill = async () =>
        {
            // Another activation moves the checkpoint on and deletes the blob this reader is about to read.
            secondETag = (await writer.WriteAsync(grain, CheckpointState.Create(toSize, 2), first.ETag)).ETag;
        };

        var read = await reader.ReadAsync(grain);

        Assert.True(read.RecordExists);
        Assert.Equal(secondETag, read.ETag);
        Assert.Equal(CheckpointState.Create(toSize, 2).Data, read.State!.Data);
    }

    [Fact]
    public async Task Read_of_deleted_blob_is_corrupt()
    {
        var grain = StoreHarness.Grain("read-lost-blob");
        await using var store = await StartAsync();
        await store.WriteAsync(grain, CheckpointState.Create(Large, 1), null);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        await container.DeleteBlobAsync(Assert.Single(await SpillBlobNamesAsync()));

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => store.ReadAsync(grain));

        Assert.True(error.IsCorrupt);
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(grain.ToString(), error.Message);
        Assert.Contains(StoreHarness.ProviderName, error.Message);
        Assert.Contains(AzureTableCheckpointStorage.StoreKind, error.Message);
    }

    [Fact]
    public async Task Blob_of_other_generation_is_corrupt()
    {
        var grain = StoreHarness.Grain("generation-mismatch");
        await using var store = await StartAsync();
        await store.WriteAsync(grain, CheckpointState.Create(Large, 1), null);
        var steps = Table(store).Steps;
        var identity = CheckpointIdentity.Create(_serviceId, "state", grain);
        var (entry, entityETag) = await steps.ReadEntryAsync(identity, CancellationToken.None);

        // The entity claims a later generation but still names the generation 1 blob with its ETag and write id.
        entry!.Generation = 5;
        await steps.ReplaceEntryAsync(identity, entry, entityETag, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => store.ReadAsync(grain));
        Assert.True(error.IsCorrupt);
        Assert.Contains("generation 1", error.Message);
        Assert.Contains("generation 5", error.Message);
    }

    [Fact]
    public async Task Spill_blob_names_carry_generation()
    {
        var grain = StoreHarness.Grain("blob-names");
        await using var store = await StartAsync();
        var first = await store.WriteAsync(grain, CheckpointState.Create(Large, 1), null);
        var firstName = Assert.Single(await SpillBlobNamesAsync());
        await store.WriteAsync(grain, CheckpointState.Create(Large, 2), first.ETag);
        var secondName = Assert.Single(await SpillBlobNamesAsync());

        Assert.True(SpillBlobName.TryParse(firstName, out var firstCheckpoint, out _, out var firstGeneration));
        Assert.True(SpillBlobName.TryParse(secondName, out var secondCheckpoint, out _, out var secondGeneration));
        Assert.Equal(firstCheckpoint, secondCheckpoint);
        Assert.Equal(1, firstGeneration);
        Assert.Equal(2, secondGeneration);
    }

    private static AzureTableCheckpointStorage Table(StoreHarness harness) => (AzureTableCheckpointStorage)harness.Store;

    private static HookedTableSteps Hook(StoreHarness harness)
    {
        HookedTableSteps? hooked = null;
        Table(harness).InterceptSteps(steps => hooked = new HookedTableSteps(steps));
        return hooked!;
    }

    private Task<StoreHarness> StartAsync() =>
        AzureStores.StartTableAsync(
            azurite.ConnectionString,
            _table,
            _container,
            options => options.MaxInlineBytes = InlineLimit,
            serviceId: _serviceId);

    private async Task<List<string>> SpillBlobNamesAsync()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return names;
    }
}
