using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Crashes injected between the steps of a table write that moves a checkpoint between the entity and a blob.
/// After each crash a new store instance, as on another silo, must read the previous or the new checkpoint.
/// </summary>
public sealed class TableCheckpointWriterTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int InlineLimit = 4096;
    private const int Small = 1024;
    private const int Large = 16 * 1024;

    private readonly string _table = AzureStores.UniqueTableName();
    private readonly string _container = AzureStores.UniqueContainerName();
    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";

    public static TheoryData<int, int, CrashPoint, bool> Crashes()
    {
        var data = new TheoryData<int, int, CrashPoint, bool>();

        // Growing: the new blob is written, then the entity flips to it.
        data.Add(Small, Large, CrashPoint.BeforeUpload, false);
        data.Add(Small, Large, CrashPoint.AfterUpload, false);
        data.Add(Small, Large, CrashPoint.BeforeReplace, false);
        data.Add(Small, Large, CrashPoint.AfterReplace, true);

        // Shrinking: the entity flips to inline data, then the old blob is deleted.
        data.Add(Large, Small, CrashPoint.BeforeReplace, false);
        data.Add(Large, Small, CrashPoint.AfterReplace, true);
        data.Add(Large, Small, CrashPoint.BeforeDelete, true);

        // Staying large: new blob, flip, delete of the old blob.
        data.Add(Large, Large + 1, CrashPoint.AfterUpload, false);
        data.Add(Large, Large + 1, CrashPoint.AfterReplace, true);
        data.Add(Large, Large + 1, CrashPoint.BeforeDelete, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task Crash_leaves_previous_or_new(int fromSize, int toSize, CrashPoint crash, bool expectNew)
    {
        var grain = StoreHarness.Grain($"crash-{fromSize}-{toSize}-{crash}");
        await using var writer = await StartAsync();
        var previous = await writer.WriteAsync(grain, CheckpointState.Create(fromSize, 1), null);
        FailingTableSteps? failing = null;
        ((AzureTableCheckpointStorage)writer.Store).InterceptSteps(steps => failing = new FailingTableSteps(steps, crash));

        var write = writer.WriteAsync(grain, CheckpointState.Create(toSize, 2), previous.ETag);
        if (crash == CrashPoint.BeforeDelete)
        {
            // A failed delete of the superseded blob is logged, not raised: the write itself succeeded.
            await write;
        }
        else
        {
            var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => write);
            Assert.IsType<SimulatedCrashException>(error.InnerException);
        }

        Assert.Contains(crash, failing!.Reached);
        await using var reader = await StartAsync();
        var read = await reader.ReadAsync(grain);
        var expected = expectNew ? CheckpointState.Create(toSize, 2) : CheckpointState.Create(fromSize, 1);
        Assert.True(read.RecordExists);
        Assert.Equal(expected.Version, read.State!.Version);
        Assert.Equal(expected.Data, read.State!.Data);

        // The reader's ETag lets the grain go on writing after recovery.
        var next = await reader.WriteAsync(grain, CheckpointState.Create(Small, 3), read.ETag);
        Assert.Equal(3, (await reader.ReadAsync(grain)).State!.Version);
        Assert.NotNull(next.ETag);
    }

    private Task<StoreHarness> StartAsync() =>
        AzureStores.StartTableAsync(
            azurite.ConnectionString,
            _table,
            _container,
            options => options.MaxInlineBytes = InlineLimit,
            serviceId: _serviceId);
}
