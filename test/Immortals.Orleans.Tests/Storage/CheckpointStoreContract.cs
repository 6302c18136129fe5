using Immortals.Orleans.Storage;
using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Behaviour every checkpoint store must show. Each store's test class derives from this and supplies the store.
/// </summary>
public abstract class CheckpointStoreContract
{
    /// <summary>
    /// Grain keys with characters that Azure keys or file names reject, or that mimic encodings. Orleans itself
    /// rejects empty and all-white-space keys.
    /// </summary>
    public static readonly string[] OddKeys =
    [
        "a/b", "a\\b", "a#b", "a?b", "a\tb", "a\nb", "a\u0000b", "a\u001Fb", "a\u007Fb", "a\u0085b", "a\u009Fb",
        "a_b", "a-b", "a.b", "a b", "a%2Fb", "a~2Fb", "a~7E2Fb", "a~~b", "~", ".", "..", " a", "a ", "/", "a:b", "a|b",
        "a*b", "a\"b", "a<b>", "ünïcödé", "emoji 😀", "\uFFFF", "CON", "nul", "a'b", "a&b=c",
    ];

    private protected abstract Task<StoreHarness> StartStoreAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    [InlineData(900 * 1024)]
    [InlineData(5 * 1024 * 1024)]
    [InlineData(20 * 1024 * 1024)]
    public async Task Payload_round_trips(int size)
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain($"round-trip-{size}");
        var expected = CheckpointState.Create(size, seed: size + 1);

        var written = await harness.WriteAsync(grain, expected, eTag: null);
        var read = await harness.ReadAsync(grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(expected.Version, read.State!.Version);
        Assert.Equal(expected.Data, read.State!.Data);
    }

    [Fact]
    public async Task Missing_checkpoint_reads_as_absent()
    {
        await using var harness = await StartStoreAsync();

        var read = await harness.ReadAsync(StoreHarness.Grain("never-written"));

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
    }

    [Fact]
    public async Task Stale_etag_write_is_rejected()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("stale-write");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(100, 1), eTag: null);
        var second = await harness.WriteAsync(grain, CheckpointState.Create(100, 2), first.ETag);

        var stale = new GrainState<CheckpointState>(CheckpointState.Create(100, 3), first.ETag);
        var conflict = await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.Store.WriteStateAsync("state", grain, stale));
        var fresh = new GrainState<CheckpointState>(CheckpointState.Create(100, 4), eTag: null);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.Store.WriteStateAsync("state", grain, fresh));

        Assert.Contains(grain.ToString(), conflict.Message);
        Assert.Contains(StoreHarness.ProviderName, conflict.Message);
        Assert.Equal(first.ETag, stale.ETag);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(second.ETag, read.ETag);
        Assert.Equal(2, read.State!.Version);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_writers_one_wins(bool existing)
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain($"two-writers-{existing}");
        var start = existing ? (await harness.WriteAsync(grain, CheckpointState.Create(10, 0), null)).ETag : null;

        var writers = new[] { 1, 2 }.Select(seed => Task.Run(async () =>
        {
            try
            {
                await harness.WriteAsync(grain, CheckpointState.Create(2048, seed), start);
                return seed;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        }));
        var outcomes = await Task.WhenAll(writers);

        var winners = outcomes.Where(seed => seed != 0).ToList();
        Assert.Single(winners);
        var read = await harness.ReadAsync(grain);
        Assert.Equal(winners[0], read.State!.Version);
        Assert.Equal(CheckpointState.Create(2048, winners[0]).Data, read.State!.Data);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(64 * 1024)]
    public async Task Second_insert_is_rejected(int size)
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain($"second-insert-{size}-{Guid.NewGuid():N}");
        var first = await harness.ReadAsync(grain);
        var second = await harness.ReadAsync(grain);
        Assert.False(first.RecordExists);
        Assert.False(second.RecordExists);

        // Both activations read "no record", so both write with a null ETag: only the first may succeed.
        first.State = CheckpointState.Create(size, 1);
        await harness.Store.WriteStateAsync("state", grain, first);
        second.State = CheckpointState.Create(size, 2);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.Store.WriteStateAsync("state", grain, second));

        var read = await harness.ReadAsync(grain);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(1, read.State!.Version);
        Assert.Equal(CheckpointState.Create(size, 1).Data, read.State!.Data);
    }

    [Fact]
    public async Task Clear_checks_etag()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("clear");
        var first = await harness.WriteAsync(grain, CheckpointState.Create(100, 1), null);
        var second = await harness.WriteAsync(grain, CheckpointState.Create(100, 2), first.ETag);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => harness.Store.ClearStateAsync(
            "state",
            grain,
            new GrainState<CheckpointState>(new CheckpointState(), first.ETag)));
        Assert.Equal(2, (await harness.ReadAsync(grain)).State!.Version);

        var clearing = new GrainState<CheckpointState>(second.State, second.ETag);
        await harness.Store.ClearStateAsync("state", grain, clearing);

        Assert.Null(clearing.ETag);
        Assert.False(clearing.RecordExists);
        var read = await harness.ReadAsync(grain);
        Assert.False(read.RecordExists);
        var again = await harness.WriteAsync(grain, CheckpointState.Create(100, 3), eTag: null);
        Assert.Equal(3, (await harness.ReadAsync(grain)).State!.Version);
        Assert.NotNull(again.ETag);
    }

    [Fact]
    public async Task Odd_grain_ids_stay_apart()
    {
        await using var harness = await StartStoreAsync();
        var keys = OddKeys.Concat(LongKeys()).ToList();
        var written = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Count; i++)
        {
            var state = await harness.WriteAsync(StoreHarness.Grain(keys[i]), CheckpointState.Create(16, i), null);
            written[keys[i]] = state.ETag;
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var read = await harness.ReadAsync(StoreHarness.Grain(keys[i]));
            Assert.True(read.RecordExists, $"key #{i} was not found");
            Assert.Equal(i, read.State!.Version);
            Assert.Equal(written[keys[i]], read.ETag);
        }
    }

    [Fact]
    public async Task Odd_state_names_stay_apart()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("state-names");
        for (var i = 0; i < OddKeys.Length; i++)
        {
            await harness.WriteAsync(grain, CheckpointState.Create(8, i), null, stateName: "s" + OddKeys[i]);
        }

        for (var i = 0; i < OddKeys.Length; i++)
        {
            Assert.Equal(i, (await harness.ReadAsync(grain, stateName: "s" + OddKeys[i])).State!.Version);
        }
    }

    /// <summary>Keys longer than any key or file name limit, sharing prefixes longer than those limits.</summary>
    public static IEnumerable<string> LongKeys()
    {
        var prefix = new string('x', 3000);
        yield return prefix + "1";
        yield return prefix + "2";
        yield return prefix + "/";
        yield return prefix + "#";
        yield return string.Concat(Enumerable.Repeat("/#?\u0001", 400));
        yield return string.Concat(Enumerable.Repeat("/#?\u0001", 400)) + "x";
        yield return new string('ü', 2000);
    }

    /// <summary>Flips one bit in the middle of a byte array, inside the serialized grain state when it is large.</summary>
    private protected static byte[] FlipMiddleBit(byte[] content)
    {
        var flipped = (byte[])content.Clone();
        flipped[flipped.Length / 2] ^= 0x10;
        return flipped;
    }

    /// <summary>Asserts that a read failed on the payload checksum and named the grain and the store.</summary>
    private protected static void AssertChecksumError(CheckpointStorageException error, GrainId grain, string kind)
    {
        AssertNamesStoreAndGrain(error, grain, kind);
        Assert.True(error.IsCorrupt);
        Assert.Contains("checksum", error.Message);
    }

    /// <summary>Asserts that an error names the grain, the provider and the store kind.</summary>
    private protected static void AssertNamesStoreAndGrain(Exception exception, GrainId grain, string kind)
    {
        Assert.Contains(grain.ToString(), exception.Message);
        Assert.Contains(StoreHarness.ProviderName, exception.Message);
        Assert.Contains(kind, exception.Message);
    }
}
