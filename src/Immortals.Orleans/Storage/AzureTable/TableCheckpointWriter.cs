using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Writes a checkpoint into its table entity, or into a new blob that the entity then points to. First the new
/// place is written, then the entity is replaced under its ETag, and last the superseded blob is deleted, so a
/// crash between any two steps leaves the previous or the new checkpoint readable.
/// </summary>
/// <remarks>
/// A crash before the entity is replaced leaves the previous checkpoint readable, and a crash after it leaves the
/// new one readable. Every spill goes to a blob with a fresh id, so a stale writer can only add a blob, never
/// replace the live one, and its entity replacement then fails on the ETag.
/// NOTE: a crash, or a failed delete, between the steps leaves an orphan blob in the spill container. A blob is
/// an orphan when the entity of its checkpoint does not name its spill id; orphans are never read and can be
/// deleted by a sweep that applies this rule.
/// </remarks>
internal sealed class TableCheckpointWriter(
    ITableCheckpointSteps steps,
    int maxInlineBytes,
    string providerName,
    ILogger logger)
{
    // Orleans' table storage rejects serialized state above 960 KiB; the record adds the identity and 1 KiB.
    private const int MaxEntityRecordBytes = 960 * 1024;
    private const int RecordOverheadBytes = 1024;

    /// <summary>Writes the checkpoint and returns the token of the new version.</summary>
    public async Task<TableCheckpointToken> WriteAsync(
        CheckpointIdentity identity,
        byte[] payload,
        TableCheckpointToken? current,
        CancellationToken cancellationToken)
    {
        if (FitsInline(identity, payload))
        {
            var inline = new TableCheckpointEntry
            {
                Format = TableCheckpointEntry.CurrentFormat,
                Identity = identity.Value,
                Payload = payload,
            };
            var entityETag = await steps.ReplaceEntryAsync(identity, inline, current?.EntityETag, cancellationToken);
            await DeleteSupersededAsync(identity, current, cancellationToken);
            return new TableCheckpointToken(entityETag, null, null);
        }

        var spillId = Guid.NewGuid().ToString("N");
        var envelope = new CheckpointEnvelope
        {
            Format = CheckpointEnvelope.CurrentFormat,
            Identity = identity.Value,
            Payload = payload,
        };
        var spillETag = await steps.UploadSpillAsync(identity, spillId, envelope, cancellationToken);

        var spilled = new TableCheckpointEntry
        {
            Format = TableCheckpointEntry.CurrentFormat,
            Identity = identity.Value,
            SpillId = spillId,
            SpillETag = spillETag,
            SpillLength = payload.Length,
        };
        string newEntityETag;
        try
        {
            newEntityETag = await steps.ReplaceEntryAsync(identity, spilled, current?.EntityETag, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            // The entity still names another version, so the new blob is garbage. Any other failure leaves the
            // outcome unknown: the entity may name the new blob, so it stays.
            await DeleteSupersededAsync(identity, new TableCheckpointToken("", spillId, spillETag), cancellationToken);
            throw;
        }

        await DeleteSupersededAsync(identity, current, cancellationToken);
        return new TableCheckpointToken(newEntityETag, spillId, spillETag);
    }

    /// <summary>Deletes the blob of a superseded version, if it had one, and logs instead of failing.</summary>
    public async Task DeleteSupersededAsync(
        CheckpointIdentity identity,
        TableCheckpointToken? superseded,
        CancellationToken cancellationToken)
    {
        if (superseded is not { SpillId: { } spillId, SpillETag: { } spillETag })
        {
            return;
        }

        try
        {
            await steps.DeleteSpillAsync(identity, spillId, spillETag, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.SupersededBlobNotDeleted(
                exception,
                spillId,
                identity.GrainId,
                AzureTableCheckpointStorage.StoreKind,
                providerName);
        }
    }

    private bool FitsInline(CheckpointIdentity identity, byte[] payload) =>
        payload.Length <= maxInlineBytes
        && payload.Length + (long)identity.Value.Length + RecordOverheadBytes <= MaxEntityRecordBytes;
}
