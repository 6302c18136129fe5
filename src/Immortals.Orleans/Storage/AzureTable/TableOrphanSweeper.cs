using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Deletes spill blobs that no entity points to and that no pending write can make an entity point to.
/// </summary>
/// <remarks>
/// <para>
/// A writer uploads its blob with generation g + 1 and then replaces the entity under the ETag of generation g.
/// That replacement can succeed only while the entity is still at generation g, so a blob is an orphan when its
/// generation is at most the entity's and the entity does not point to it. Every write raises the generation, so
/// a blob that a writer is about to flip to always has a generation above the entity's and is kept. Blobs younger
/// than the minimum age are kept as a second guard.
/// </para>
/// <para>
/// NOTE: a checkpoint without an entity (never written, or cleared) has no generation to compare with, so its
/// blobs are deleted on age alone. A first write whose upload is older than the minimum age and whose insert of
/// the entity is still in flight would lose its blob: keep the minimum age far above the storage timeouts.
/// </para>
/// </remarks>
internal sealed class TableOrphanSweeper(
    AzureTableCheckpointSteps steps,
    TimeProvider timeProvider,
    string providerName,
    ILogger logger)
{
    private const string StoreKind = AzureTableCheckpointStorage.StoreKind;

    /// <summary>
    /// Deletes the orphan spill blobs of one checkpoint name, or of the whole container when
    /// <paramref name="name"/> is null, and returns how many it deleted.
    /// </summary>
    public async Task<int> SweepAsync(string? name, TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var group = new List<(BlobItem Blob, string SpillId, long Generation)>();
        string? groupName = null;

        // Listings are sorted by name and a checkpoint's blobs share a prefix, so they arrive together.
        await foreach (var blob in steps.ListSpillBlobsAsync(name, cancellationToken))
        {
            if (!SpillBlobName.TryParse(blob.Name, out var checkpointName, out var spillId, out var generation))
            {
                continue;
            }

            if (groupName is not null && !string.Equals(groupName, checkpointName, StringComparison.Ordinal))
            {
                deleted += await SweepCheckpointAsync(groupName, group, minimumAge, cancellationToken);
                group.Clear();
            }

            groupName = checkpointName;
            group.Add((blob, spillId, generation));
        }

        if (groupName is not null)
        {
            deleted += await SweepCheckpointAsync(groupName, group, minimumAge, cancellationToken);
        }

        return deleted;
    }

    private async Task<int> SweepCheckpointAsync(
        string name,
        List<(BlobItem Blob, string SpillId, long Generation)> blobs,
        TimeSpan minimumAge,
        CancellationToken cancellationToken)
    {
        TableCheckpointEntry? entry;
        string? entityETag;
        try
        {
            (entry, entityETag) = await steps.ReadEntryAsync(name, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            logger.OrphanSweepSkipped(exception, name, StoreKind, providerName);
            return 0;
        }

        if (entityETag is not null && entry is null)
        {
            // An entity without a readable record: its generation is unknown, so nothing is provably an orphan.
            logger.OrphanSweepSkipped(null, name, StoreKind, providerName);
            return 0;
        }

        var now = timeProvider.GetUtcNow();
        var deleted = 0;
        foreach (var (blob, spillId, generation) in blobs)
        {
            var created = blob.Properties.CreatedOn ?? blob.Properties.LastModified ?? now;
            if (now - created < minimumAge || !IsOrphan(entry, spillId, generation))
            {
                continue;
            }

            await steps.DeleteSpillBlobAsync(blob.Name, blob.Properties.ETag!.Value.ToString(), cancellationToken);
            logger.OrphanBlobDeleted(blob.Name, generation, entry?.Generation ?? 0, StoreKind, providerName);
            deleted++;
        }

        return deleted;
    }

    // With no entity every blob is an orphan; the minimum age has already been checked.
    private static bool IsOrphan(TableCheckpointEntry? entry, string spillId, long generation) =>
        entry is null
        || (generation <= entry.Generation && !string.Equals(entry.SpillId, spillId, StringComparison.Ordinal));
}
