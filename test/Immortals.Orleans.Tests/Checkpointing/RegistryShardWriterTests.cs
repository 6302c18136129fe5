using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.Testing;
using Immortals.Orleans.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Checkpointing;

/// <summary>Registrations of one wake-up registry shard, written to an Azure table on Azurite.</summary>
public sealed class RegistryShardWriterTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private StoreHarness _harness = null!;
    private HeldWriteStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _harness = await AzureStores.StartTableAsync(
            azurite.ConnectionString,
            AzureStores.UniqueTableName(),
            AzureStores.UniqueContainerName());
        _storage = new HeldWriteStorage(_harness.Store);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Waiting_registrations_share_one_write()
    {
        var writer = NewWriter(_storage);
        _storage.Hold();
        var first = writer.EnqueueAsync(Register(Grain(0)));
        await _storage.WriteHeld;

        var waiting = Enumerable.Range(1, 199).Select(i => writer.EnqueueAsync(Register(Grain(i)))).ToList();
        _storage.Release();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(waiting), Assert.True);
        var listed = await ReadListedAsync();
        Assert.All(Enumerable.Range(0, 200), i => Assert.Contains(Grain(i), listed));
        Assert.Equal(2, _storage.Writes);
    }

    [Fact]
    public async Task Caller_waits_for_stored_entry()
    {
        var writer = NewWriter(_storage);
        _storage.Hold();

        var registered = writer.EnqueueAsync(Register(Grain(1)));
        await _storage.WriteHeld;

        Assert.False(registered.IsCompleted);
        Assert.DoesNotContain(Grain(1), await ReadListedAsync());
        _storage.Release();
        Assert.True(await registered);
        Assert.Contains(Grain(1), await ReadListedAsync());
    }

    [Fact]
    public async Task Storage_failures_keep_caller_waiting()
    {
        var writer = NewWriter(_storage);
        _storage.Hold();
        _storage.FailNextWrites(3);

        var registered = writer.EnqueueAsync(Register(Grain(1)));
        await _storage.WriteHeld;

        Assert.False(registered.IsCompleted);
        _storage.Release();
        Assert.True(await registered);
        Assert.Equal(1, _storage.Writes);
        Assert.Contains(Grain(1), await ReadListedAsync());
    }

    [Fact]
    public async Task Abandoned_request_is_not_written()
    {
        var writer = NewWriter(_storage);
        _storage.Hold();
        var first = writer.EnqueueAsync(Register(Grain(1)));
        await _storage.WriteHeld;
        var abandoned = false;

        var second = writer.EnqueueAsync(Register(Grain(2), () => abandoned));
        abandoned = true;
        _storage.Release();

        Assert.True(await first);
        Assert.False(await second);
        var listed = await ReadListedAsync();
        Assert.Contains(Grain(1), listed);
        Assert.DoesNotContain(Grain(2), listed);
        Assert.Equal(1, _storage.Writes);
    }

    [Fact]
    public async Task Conflict_with_other_silo_is_retried()
    {
        var heldWriter = NewWriter(_storage);
        var other = NewWriter(_harness.Store);
        _storage.Hold();

        // The held writer has read the shard. The other silo's write changes its ETag before the held write.
        var first = heldWriter.EnqueueAsync(Register(Grain(1)));
        await _storage.WriteHeld;
        Assert.True(await other.EnqueueAsync(Register(Grain(2))));
        _storage.Release();

        Assert.True(await first);
        var listed = await ReadListedAsync();
        Assert.Contains(Grain(1), listed);
        Assert.Contains(Grain(2), listed);
        Assert.Equal(1, _storage.Conflicts);
    }

    [Fact]
    public async Task Registration_racing_sweep_survives()
    {
        var writer = NewWriter(_storage);
        Assert.True(await writer.EnqueueAsync(Register(Grain(1))));

        // A sweep read the shard and the grain reported no work. Then the grain stores a new root and registers
        // again, although the shard still lists it.
        var sweep = await writer.ReadAsync();
        Assert.True(await writer.EnqueueAsync(Register(Grain(1))));
        Assert.NotNull(sweep.State);
        sweep.State.Grains.Remove(Grain(1));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _harness.Store.WriteStateAsync(RegistryShardWriter.StateName, writer.ShardId, sweep));
        Assert.Contains(Grain(1), await ReadListedAsync());
        Assert.Equal(2, _storage.Writes);
    }

    [Fact]
    public async Task Ensure_writes_only_unlisted_grains()
    {
        var writer = NewWriter(_storage);
        Assert.True(await writer.EnqueueAsync(Register(Grain(1))));

        Assert.True(await writer.EnqueueAsync(Ensure(Grain(1))));
        Assert.Equal(1, _storage.Writes);

        Assert.True(await writer.EnqueueAsync(Ensure(Grain(2))));
        Assert.Equal(2, _storage.Writes);
        Assert.Contains(Grain(2), await ReadListedAsync());
    }

    private static RegistryShardWriter NewWriter(IGrainStorage storage) =>
        new(0, () => storage, TimeProvider.System, NullLogger.Instance, TimeSpan.FromMilliseconds(10));

    private static GrainId Grain(int index) => GrainId.Create("registry-test", $"grain-{index}");

    private static RegistryRequest Register(GrainId grainId, Func<bool>? abandon = null) =>
        new(grainId, writeIfListed: true, abandon ?? (() => false));

    private static RegistryRequest Ensure(GrainId grainId) => new(grainId, writeIfListed: false, () => false);

    private async Task<IReadOnlyCollection<GrainId>> ReadListedAsync()
    {
        var state = new GrainState<RegistryShard>();
        await _harness.Store.ReadStateAsync(RegistryShardWriter.StateName, RegistryShardWriter.IdOf(0), state);
        return state.State?.Grains.Keys ?? (IReadOnlyCollection<GrainId>)[];
    }
}
