using System.Diagnostics;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.LocalDirectory;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

public sealed class LocalDirectoryCheckpointStorageTests : CheckpointStoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"immortals-checkpoints-{Guid.NewGuid():N}");
    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";

    private protected override Task<StoreHarness> StartStoreAsync() => StartAsync(TimeSpan.FromSeconds(30));

    private Task<StoreHarness> StartAsync(TimeSpan lockTimeout) =>
        StoreHarness.StartAsync(
            services => services.AddLocalDirectoryImmortalStorage(StoreHarness.ProviderName, options =>
            {
                options.Path = _directory;
                options.LockTimeout = lockTimeout;
            }),
            _serviceId);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_creates_directory()
    {
        Assert.False(Directory.Exists(_directory));

        await using var harness = await StartStoreAsync();

        Assert.True(Directory.Exists(_directory));
    }

    [Fact]
    public async Task File_names_fit_linux_limit()
    {
        await using var harness = await StartStoreAsync();
        foreach (var key in LongKeys())
        {
            await harness.WriteAsync(StoreHarness.Grain(key), CheckpointState.Create(10, 1), null);
        }

        var names = Directory.GetFiles(_directory).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(name!), 1, 255));
        Assert.DoesNotContain(names, name => name!.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_file_fails_read_and_stays()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("corrupt");
        await harness.WriteAsync(grain, CheckpointState.Create(1000, 1), null);
        var path = Directory.GetFiles(_directory, "*.ckpt").Single();
        var garbage = "IMCK but then nothing that makes sense"u8.ToArray();
        await File.WriteAllBytesAsync(path, garbage);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), eTag: null));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), eTag: "unreadable"));

        AssertNamesStoreAndGrain(error, grain, LocalDirectoryCheckpointStorage.StoreKind);
        Assert.True(error.IsCorrupt);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Garbage_after_valid_header_fails_read()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("corrupt-body");
        await harness.WriteAsync(grain, CheckpointState.Create(1000, 1), null);
        var path = Directory.GetFiles(_directory, "*.ckpt").Single();
        var content = await File.ReadAllBytesAsync(path);
        new Random(3).NextBytes(content.AsSpan(CheckpointFileFormat.HeaderLength));
        await File.WriteAllBytesAsync(path, content);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));

        AssertNamesStoreAndGrain(error, grain, LocalDirectoryCheckpointStorage.StoreKind);
        Assert.True(error.IsCorrupt);
    }

    [Fact]
    public async Task Flipped_bit_fails_read()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("flipped");
        await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        var path = Directory.GetFiles(_directory, "*.ckpt").Single();
        var flipped = FlipMiddleBit(await File.ReadAllBytesAsync(path));
        await File.WriteAllBytesAsync(path, flipped);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));

        AssertChecksumError(error, grain, LocalDirectoryCheckpointStorage.StoreKind);
        Assert.Equal(flipped, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Every_damaged_byte_fails_read_cleanly()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("every-byte");
        var expected = CheckpointState.Create(64, 7);
        await harness.WriteAsync(grain, expected, null);
        var path = Directory.GetFiles(_directory, "*.ckpt").Single();
        var original = await File.ReadAllBytesAsync(path);
        var unexpected = new List<string>();

        for (var position = 0; position < original.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])original.Clone();
                damaged[position] ^= mask;
                await File.WriteAllBytesAsync(path, damaged);
                try
                {
                    var read = await harness.ReadAsync(grain);
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
    public async Task Foreign_file_under_name_is_rejected()
    {
        await using var harness = await StartStoreAsync();
        var owner = StoreHarness.Grain("owner");
        var other = StoreHarness.Grain("other");
        await harness.WriteAsync(owner, CheckpointState.Create(100, 1), null);
        await harness.WriteAsync(other, CheckpointState.Create(100, 2), null);
        var files = Directory.GetFiles(_directory, "*.ckpt");

        // Copy the owner's file over the other grain's file, as a hash collision of two long names would.
        File.Copy(files.Single(f => f.Contains("owner")), files.Single(f => f.Contains("other")), overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(other));
        Assert.Contains("belongs to another checkpoint", error.Message);
    }

    [Fact]
    public void Lock_excludes_second_handle()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "a.lock");

        using (var first = CheckpointFileLock.TryOpen(path))
        {
            Assert.NotNull(first);
            Assert.Null(CheckpointFileLock.TryOpen(path));
        }

        using var again = CheckpointFileLock.TryOpen(path);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Lock_file_error_is_not_contention()
    {
        // A lock file that cannot be opened for another reason than a lock (here a symbolic link to itself, which
        // fails with ELOOP as a full disk fails with ENOSPC) must fail the write with that reason at once.
        await using var harness = await StartAsync(TimeSpan.FromSeconds(2));
        var grain = StoreHarness.Grain("broken-lock");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(10, 1), null);
        var lockPath = Directory.GetFiles(_directory, "*.lock").Single();
        File.Delete(lockPath);
        File.CreateSymbolicLink(lockPath, lockPath);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), written.ETag));

        AssertNamesStoreAndGrain(error, grain, LocalDirectoryCheckpointStorage.StoreKind);
        Assert.DoesNotContain("Timed out", error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Contains("symbolic links", error.Message);
    }

    [Fact]
    public async Task Lock_held_by_other_process_blocks_write()
    {
        await using var harness = await StartAsync(TimeSpan.FromMilliseconds(300));
        var grain = StoreHarness.Grain("locked");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(10, 1), null);
        var lockPath = Directory.GetFiles(_directory, "*.lock").Single();

        using var holder = StartFlock(lockPath, TimeSpan.FromSeconds(30));
        await WaitUntilLockedAsync(lockPath);
        var blocked = await Assert.ThrowsAsync<CheckpointStorageException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), written.ETag));
        Assert.Contains("lock file", blocked.Message);

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();
        await harness.WriteAsync(grain, CheckpointState.Create(10, 3), written.ETag);
        Assert.Equal(3, (await harness.ReadAsync(grain)).State!.Version);
    }

    [Fact]
    public async Task Two_stores_on_one_directory_exclude()
    {
        await using var first = await StartStoreAsync();
        await using var second = await StartStoreAsync();
        var grain = StoreHarness.Grain("shared-directory");
        var start = await first.WriteAsync(grain, CheckpointState.Create(10, 0), null);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 8).Select(seed => Task.Run(async () =>
        {
            var store = seed % 2 == 0 ? first : second;
            try
            {
                await store.WriteAsync(grain, CheckpointState.Create(64 * 1024, seed), start.ETag);
                return seed;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        })));

        var winner = Assert.Single(outcomes, seed => seed != 0);
        Assert.Equal(winner, (await second.ReadAsync(grain)).State!.Version);
    }

    private static Process StartFlock(string lockPath, TimeSpan hold)
    {
        var start = new ProcessStartInfo("/usr/bin/flock") { UseShellExecute = false };
        start.ArgumentList.Add("--exclusive");
        start.ArgumentList.Add(lockPath);
        start.ArgumentList.Add("sleep");
        start.ArgumentList.Add(((int)hold.TotalSeconds).ToString());
        return Process.Start(start)!;
    }

    private static async Task WaitUntilLockedAsync(string lockPath)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var probe = CheckpointFileLock.TryOpen(lockPath);
            if (probe is null)
            {
                return;
            }

            probe.Dispose();
            await Task.Delay(25);
        }

        Assert.Fail($"flock never took {lockPath}");
    }
}
