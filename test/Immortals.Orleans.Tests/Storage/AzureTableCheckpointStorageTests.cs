using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Testing;
using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

public sealed class AzureTableCheckpointStorageTests(AzuriteFixture azurite)
    : CheckpointStoreContract, IClassFixture<AzuriteFixture>
{
    private const int SmallInlineLimit = 4096;

    private readonly string _table = AzureStores.UniqueTableName();
    private readonly string _container = AzureStores.UniqueContainerName();

    private protected override Task<StoreHarness> StartStoreAsync() =>
        AzureStores.StartTableAsync(azurite.ConnectionString, _table, _container);

    private Task<StoreHarness> StartSmallInlineStoreAsync() =>
        AzureStores.StartTableAsync(
            azurite.ConnectionString,
            _table,
            _container,
            options => options.MaxInlineBytes = SmallInlineLimit);

    [Fact]
    public async Task Start_creates_table_and_container()
    {
        await using var harness = await StartStoreAsync();

        var tables = new TableServiceClient(azurite.ConnectionString).QueryAsync(t => t.Name == _table);
        var found = new List<string>();
        await foreach (var table in tables)
        {
            found.Add(table.Name);
        }

        Assert.Single(found);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        Assert.True((await container.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Default_limit_spills_only_large()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("default-limit");

        var inline = await harness.WriteAsync(grain, CheckpointState.Create(900 * 1024, 1), null);
        Assert.Null(await SpillIdAsync(harness, grain));
        Assert.Empty(await SpillBlobNamesAsync());

        await harness.WriteAsync(grain, CheckpointState.Create(5 * 1024 * 1024, 2), inline.ETag);
        Assert.NotNull(await SpillIdAsync(harness, grain));
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Growing_and_shrinking_moves_checkpoint()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("switch");

        var small = await harness.WriteAsync(grain, CheckpointState.Create(1024, 1), null);
        Assert.Null(await SpillIdAsync(harness, grain));
        Assert.Empty(await SpillBlobNamesAsync());

        var large = await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 2), small.ETag);
        var firstSpill = await SpillIdAsync(harness, grain);
        Assert.NotNull(firstSpill);
        var firstBlob = Assert.Single(await SpillBlobNamesAsync());
        Assert.Contains(firstSpill, firstBlob);
        Assert.Equal(2, (await harness.ReadAsync(grain)).State!.Version);

        var larger = await harness.WriteAsync(grain, CheckpointState.Create(20 * 1024, 3), large.ETag);
        var secondSpill = await SpillIdAsync(harness, grain);
        Assert.NotNull(secondSpill);
        Assert.NotEqual(firstSpill, secondSpill);
        var secondBlob = Assert.Single(await SpillBlobNamesAsync());
        Assert.Contains(secondSpill, secondBlob);
        Assert.Equal(3, (await harness.ReadAsync(grain)).State!.Version);

        await harness.WriteAsync(grain, CheckpointState.Create(512, 4), larger.ETag);
        Assert.Null(await SpillIdAsync(harness, grain));
        Assert.Empty(await SpillBlobNamesAsync());
        var read = await harness.ReadAsync(grain);
        Assert.Equal(4, read.State!.Version);
        Assert.Equal(CheckpointState.Create(512, 4).Data, read.State!.Data);
    }

    [Fact]
    public async Task Clearing_spilled_checkpoint_deletes_blob()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("clear-spilled");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        Assert.Single(await SpillBlobNamesAsync());

        await harness.Store.ClearStateAsync("state", grain, written);

        Assert.Empty(await SpillBlobNamesAsync());
        Assert.False((await harness.ReadAsync(grain)).RecordExists);
    }

    [Fact]
    public async Task Stale_spilling_writer_loses_race()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("stale-spill");
        var start = await harness.WriteAsync(grain, CheckpointState.Create(100, 1), null);

        var winner = await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 2), start.ETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(12 * 1024, 3), start.ETag));

        var read = await harness.ReadAsync(grain);
        Assert.Equal(2, read.State!.Version);
        Assert.Equal(winner.ETag, read.ETag);
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Stale_writer_keeps_superseding_blob()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("stale-token");
        var spilled = await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);

        // The winner replaces the blob; the stale writer's token still names the first blob.
        await harness.WriteAsync(grain, CheckpointState.Create(11 * 1024, 2), spilled.ETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 3), spilled.ETag));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(13 * 1024, 4), spilled.ETag));

        var read = await harness.ReadAsync(grain);
        Assert.Equal(2, read.State!.Version);
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Concurrent_spilling_writers_leave_one_blob()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("concurrent-spill");
        var start = await harness.WriteAsync(grain, CheckpointState.Create(100, 0), null);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 4).Select(seed => Task.Run(async () =>
        {
            try
            {
                await harness.WriteAsync(grain, CheckpointState.Create(50 * 1024, seed), start.ETag);
                return seed;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        })));

        var winner = Assert.Single(outcomes, seed => seed != 0);
        Assert.Equal(winner, (await harness.ReadAsync(grain)).State!.Version);
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Stores_with_other_limits_share_table()
    {
        var serviceId = $"service-{Guid.NewGuid():N}";
        await using var spilling = await AzureStores.StartTableAsync(
            azurite.ConnectionString, _table, _container, options => options.MaxInlineBytes = 0, serviceId: serviceId);
        await using var inline = await AzureStores.StartTableAsync(
            azurite.ConnectionString, _table, _container, serviceId: serviceId);
        var grain = StoreHarness.Grain("two-limits");

        var first = await spilling.WriteAsync(grain, CheckpointState.Create(2048, 1), null);
        Assert.Single(await SpillBlobNamesAsync());
        Assert.Equal(1, (await inline.ReadAsync(grain)).State!.Version);

        var second = await inline.WriteAsync(grain, CheckpointState.Create(2048, 2), first.ETag);
        Assert.Empty(await SpillBlobNamesAsync());
        Assert.Equal(2, (await spilling.ReadAsync(grain)).State!.Version);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => spilling.WriteAsync(grain, CheckpointState.Create(2048, 9), first.ETag));
        Assert.Empty(await SpillBlobNamesAsync());

        var third = await spilling.WriteAsync(grain, CheckpointState.Create(2048, 3), second.ETag);
        Assert.Single(await SpillBlobNamesAsync());
        var read = await inline.ReadAsync(grain);
        Assert.Equal(3, read.State!.Version);
        Assert.Equal(third.ETag, read.ETag);

        await inline.Store.ClearStateAsync("state", grain, read);
        Assert.Empty(await SpillBlobNamesAsync());
        Assert.False((await spilling.ReadAsync(grain)).RecordExists);
    }

    [Fact]
    public async Task Garbage_entity_fails_read_and_stays()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("corrupt-entity");
        await harness.WriteAsync(grain, CheckpointState.Create(1000, 1), null);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table);
        var entity = await SingleEntityAsync(table);
        var garbage = "definitely not an Orleans record"u8.ToArray();
        var replaced = new TableEntity(entity.PartitionKey, entity.RowKey) { ["Data"] = garbage };
        await table.UpdateEntityAsync(replaced, entity.ETag, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), eTag: null));

        AssertNamesStoreAndGrain(error, grain, AzureTableCheckpointStorage.StoreKind);
        Assert.True(error.IsCorrupt);
        Assert.Equal(garbage, (await SingleEntityAsync(table)).GetBinary("Data"));
    }

    [Fact]
    public async Task Garbage_spill_blob_fails_read_and_stays()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("corrupt-blob");
        await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        var blob = container.GetBlobClient(Assert.Single(await SpillBlobNamesAsync()));
        var garbage = new byte[10 * 1024];
        new Random(5).NextBytes(garbage);
        await blob.UploadAsync(BinaryData.FromBytes(garbage), overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), eTag: null));

        AssertNamesStoreAndGrain(error, grain, AzureTableCheckpointStorage.StoreKind);
        Assert.True(error.IsCorrupt);
        Assert.Equal(garbage, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Theory]
    [InlineData(64)]
    [InlineData(10 * 1024)]
    public async Task Every_damaged_entity_byte_fails_read_cleanly(int size)
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain($"every-byte-{size}");
        var expected = CheckpointState.Create(size, 7);
        await harness.WriteAsync(grain, expected, null);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table);
        var entity = await SingleEntityAsync(table);
        var original = entity.GetBinary("Data");
        var unexpected = new List<string>();

        for (var position = 0; position < original.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])original.Clone();
                damaged[position] ^= mask;
                var current = await SingleEntityAsync(table);
                await table.UpdateEntityAsync(new TableEntity(current) { ["Data"] = damaged }, current.ETag, TableUpdateMode.Replace);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    var read = new global::Orleans.GrainState<CheckpointState>();
                    await harness.Store.ReadStateAsync("state", grain, read).WaitAsync(timeout.Token);
                    if (read.State!.Version != expected.Version || !read.State.Data.SequenceEqual(expected.Data))
                    {
                        unexpected.Add($"byte {position} ^ 0x{mask:X2}: read returned other grain state");
                    }
                }
                catch (CheckpointStorageException error) when (error.IsCorrupt)
                {
                }
                catch (Exception error)
                {
                    unexpected.Add($"byte {position} ^ 0x{mask:X2}: {error.GetType().Name}: {error.Message}");
                }
            }
        }

        Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected.Take(20)));
    }

    [Fact]
    public async Task Flipped_bit_in_entity_fails_read()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("flipped-entity");
        await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table);
        var entity = await SingleEntityAsync(table);
        var flipped = FlipMiddleBit(entity.GetBinary("Data"));
        var replaced = new TableEntity(entity) { ["Data"] = flipped };
        await table.UpdateEntityAsync(replaced, entity.ETag, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));

        AssertChecksumError(error, grain, AzureTableCheckpointStorage.StoreKind);
        Assert.Equal(flipped, (await SingleEntityAsync(table)).GetBinary("Data"));
    }

    [Fact]
    public async Task Flipped_bit_in_spill_blob_fails_read()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("flipped-blob");
        await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        var blob = container.GetBlobClient(Assert.Single(await SpillBlobNamesAsync()));
        var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        await blob.UploadAsync(BinaryData.FromBytes(FlipMiddleBit(content)), overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));

        AssertChecksumError(error, grain, AzureTableCheckpointStorage.StoreKind);
    }

    [Fact]
    public async Task Losing_spilled_insert_deletes_its_blob()
    {
        await using var harness = await StartSmallInlineStoreAsync();
        var grain = StoreHarness.Grain("spilled-inserts");
        var winner = await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 2), null));

        var read = await harness.ReadAsync(grain);
        Assert.Equal(winner.ETag, read.ETag);
        Assert.Equal(1, read.State!.Version);
        Assert.Single(await SpillBlobNamesAsync());
    }

    [Fact]
    public async Task Foreign_entity_under_key_is_rejected()
    {
        await using var harness = await StartStoreAsync();
        var owner = StoreHarness.Grain("owner");
        var other = StoreHarness.Grain("other");
        await harness.WriteAsync(owner, CheckpointState.Create(100, 1), null);
        await harness.WriteAsync(other, CheckpointState.Create(100, 2), null);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_table);
        var entities = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            entities.Add(entity);
        }

        // Give the other grain's entity the owner's data, as a hash collision of two long names would.
        var ownerEntity = entities.Single(e => e.PartitionKey.Contains("owner"));
        var otherEntity = entities.Single(e => e.PartitionKey.Contains("other"));
        var copy = new TableEntity(ownerEntity) { PartitionKey = otherEntity.PartitionKey };
        await table.UpdateEntityAsync(copy, otherEntity.ETag, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(other));
        Assert.Contains("belongs to another checkpoint", error.Message);
        Assert.Equal(1, (await harness.ReadAsync(owner)).State!.Version);
    }

    private static async Task<string?> SpillIdAsync(StoreHarness harness, GrainId grain)
    {
        var storage = (AzureTableCheckpointStorage)harness.Store;
        var identity = CheckpointIdentity.Create(ServiceIdOf(harness), "state", grain);
        var (entry, _) = await storage.Steps.ReadEntryAsync(identity, CancellationToken.None);
        Assert.NotNull(entry);
        Assert.True(entry.Payload is null == entry.SpillId is not null, "the entity must be inline or spilled");
        return entry.SpillId;
    }

    internal static string ServiceIdOf(StoreHarness harness) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<global::Orleans.Configuration.ClusterOptions>>(
                harness.Services)
            .Value.ServiceId;

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

    private static async Task<TableEntity> SingleEntityAsync(TableClient table)
    {
        var entities = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            entities.Add(entity);
        }

        return Assert.Single(entities);
    }
}
