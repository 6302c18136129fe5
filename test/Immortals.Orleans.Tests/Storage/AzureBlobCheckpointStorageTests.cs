using Azure.Storage.Blobs;
using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Testing;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

public sealed class AzureBlobCheckpointStorageTests(AzuriteFixture azurite)
    : CheckpointStoreContract, IClassFixture<AzuriteFixture>
{
    private readonly string _container = AzureStores.UniqueContainerName();

    private protected override Task<StoreHarness> StartStoreAsync() =>
        AzureStores.StartBlobAsync(azurite.ConnectionString, _container);

    [Fact]
    public async Task Start_creates_container()
    {
        await using var harness = await StartStoreAsync();

        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        Assert.True((await container.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Checkpoint_is_binary_not_json()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("binary");
        var state = CheckpointState.Create(64 * 1024, 7);
        await harness.WriteAsync(grain, state, null);

        var blob = await SingleBlobAsync();
        var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();

        // Base64 inside JSON would need 4/3 of the payload; Orleans' binary format adds a few bytes.
        Assert.InRange(content.Length, state.Data.Length, state.Data.Length + 1024);
        Assert.NotEqual((byte)'{', content[0]);
    }

    [Fact]
    public async Task Garbage_blob_fails_read_and_stays()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("corrupt");
        await harness.WriteAsync(grain, CheckpointState.Create(1000, 1), null);
        var blob = await SingleBlobAsync();
        var garbage = "this is not a checkpoint, just some garbage bytes"u8.ToArray();
        await blob.UploadAsync(BinaryData.FromBytes(garbage), overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));
        await Assert.ThrowsAnyAsync<InconsistentStateException>(
            () => harness.WriteAsync(grain, CheckpointState.Create(10, 2), eTag: null));

        AssertNamesStoreAndGrain(error, grain, AzureBlobCheckpointStorage.StoreKind);
        Assert.True(error.IsCorrupt);
        Assert.Equal(garbage, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task Every_damaged_byte_fails_read_cleanly()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("every-byte");
        var expected = CheckpointState.Create(64, 7);
        await harness.WriteAsync(grain, expected, null);
        var blob = await SingleBlobAsync();
        var original = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        var unexpected = new List<string>();

        for (var position = 0; position < original.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])original.Clone();
                damaged[position] ^= mask;
                await blob.UploadAsync(BinaryData.FromBytes(damaged), overwrite: true);
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
    public async Task Flipped_bit_fails_read()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain("flipped");
        await harness.WriteAsync(grain, CheckpointState.Create(10 * 1024, 1), null);
        var blob = await SingleBlobAsync();
        var content = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        await blob.UploadAsync(BinaryData.FromBytes(FlipMiddleBit(content)), overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(grain));

        AssertChecksumError(error, grain, AzureBlobCheckpointStorage.StoreKind);
    }

    [Fact]
    public async Task Foreign_checkpoint_under_name_is_rejected()
    {
        await using var harness = await StartStoreAsync();
        var owner = StoreHarness.Grain("owner");
        var other = StoreHarness.Grain("other");
        await harness.WriteAsync(owner, CheckpointState.Create(100, 1), null);
        await harness.WriteAsync(other, CheckpointState.Create(100, 2), null);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        var blobs = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            blobs.Add(item.Name);
        }

        // Copy the owner's blob over the other grain's blob, as a hash collision of two long names would.
        var ownerBlob = blobs.Single(name => name.Contains("owner"));
        var otherBlob = blobs.Single(name => name.Contains("other"));
        var content = (await container.GetBlobClient(ownerBlob).DownloadContentAsync()).Value.Content;
        await container.GetBlobClient(otherBlob).UploadAsync(content, overwrite: true);

        var error = await Assert.ThrowsAsync<CheckpointStorageException>(() => harness.ReadAsync(other));
        Assert.Contains("belongs to another checkpoint", error.Message);
        Assert.Equal(1, (await harness.ReadAsync(owner)).State!.Version);
    }

    private async Task<BlobClient> SingleBlobAsync()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_container);
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return container.GetBlobClient(Assert.Single(names));
    }
}
