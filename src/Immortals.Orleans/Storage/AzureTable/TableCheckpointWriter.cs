using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Writes a checkpoint into its table entity, or into a new blob that the entity then points to. First the new
/// place is written, then the entity is replaced under its ETag, and last the superseded blob is deleted, so a
/// crash between any two steps leaves the previous or the new checkpoint readable.
/// </summary>
/// <remarks>
/// <para>
/// Every write carries a fresh write id and the generation one above the entity it replaces, in the entity and in
/// the blob. The Azure SDK retries a request whose response was lost, and the retry of a conditional request then
/// fails with 412 or 409 although the first attempt landed. After such a failure, a timeout or a transport error,
/// the writer reads the entity back. If the entity carries this write's id, the write succeeded. If it has moved
/// to another ETag, the write can never succeed and is a conflict. Otherwise the outcome stays unknown, and the
/// writer raises the original error.
/// </para>
/// <para>
/// A new blob is deleted only when the entity definitely does not point to it, and a superseded blob only after
/// the entity definitely points elsewhere. A blob whose flip may still land has a generation above the entity's,
/// which <see cref="TableOrphanSweeper"/> never deletes.
/// </para>
/// </remarks>
internal sealed class TableCheckpointWriter(
    ITableCheckpointSteps steps,
    int maxInlineBytes,
    string providerName,
    ILogger logger)
{
    private const string StoreKind = AzureTableCheckpointStorage.StoreKind;

    // Marks a conflict after which the entity can never point to what this write uploaded.
    private const string DefiniteMarker = "Immortals.Orleans.DefiniteConflict";

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
        var writeId = Guid.NewGuid();
        var generation = (current?.Generation ?? 0) + 1;
        var checksum = PayloadChecksum.Compute(payload);
        var entry = new TableCheckpointEntry
        {
            Format = TableCheckpointEntry.CurrentFormat,
            Identity = identity.Value,
            WriteId = writeId,
            Generation = generation,
            Checksum = checksum,
        };

        if (FitsInline(identity, payload))
        {
            entry.Payload = payload;
            var inlineETag = await ReplaceConfirmedAsync(identity, entry, current?.EntityETag, cancellationToken);
            await DeleteSupersededAsync(identity, current, cancellationToken);
            return new TableCheckpointToken(inlineETag, generation, null, null);
        }

        var spillId = SpillBlobName.CreateSpillId(generation, writeId);
        var envelope = new CheckpointEnvelope
        {
            Format = CheckpointEnvelope.CurrentFormat,
            Identity = identity.Value,
            Payload = payload,
            WriteId = writeId,
            Generation = generation,
            Checksum = checksum,
        };
        var spillETag = await UploadConfirmedAsync(identity, spillId, envelope, cancellationToken);

        entry.SpillId = spillId;
        entry.SpillETag = spillETag;
        entry.SpillLength = payload.Length;
        string entityETag;
        try
        {
            entityETag = await ReplaceConfirmedAsync(identity, entry, current?.EntityETag, cancellationToken);
        }
        catch (InconsistentStateException conflict) when (conflict.Data.Contains(DefiniteMarker))
        {
            // The entity has moved past the ETag this write needed, so it can never point to the new blob.
            var orphan = new TableCheckpointToken("", generation, spillId, spillETag);
            await DeleteSupersededAsync(identity, orphan, cancellationToken);
            throw;
        }

        await DeleteSupersededAsync(identity, current, cancellationToken);
        return new TableCheckpointToken(entityETag, generation, spillId, spillETag);
    }

    /// <summary>
    /// Deletes the entity if its ETag matches, then the blob it pointed to. After an ambiguous failure the entity is
    /// read back: a missing entity means the delete landed.
    /// </summary>
    public async Task ClearAsync(
        CheckpointIdentity identity,
        TableCheckpointToken current,
        CancellationToken cancellationToken)
    {
        try
        {
            await steps.DeleteEntryAsync(identity, current.EntityETag, cancellationToken);
        }
        catch (Exception exception) when (StorageFaults.IsAmbiguousOutcome(exception, cancellationToken))
        {
            var (_, storedETag) = await ReadBackAsync(identity, exception, cancellationToken);
            if (storedETag is not null)
            {
                throw Resolve(exception, storedETag, current.EntityETag);
            }

            logger.AmbiguousWriteConfirmed(exception, "clear", identity.GrainId, StoreKind, providerName);
        }

        await DeleteSupersededAsync(identity, current, cancellationToken);
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
            logger.SupersededBlobNotDeleted(exception, spillId, identity.GrainId, StoreKind, providerName);
        }
    }

    // Replaces the entity, or confirms after an ambiguous failure that the replacement landed. Raises a conflict
    // marked as definite when the entity has moved to another version, and otherwise the original error.
    private async Task<string> ReplaceConfirmedAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? expectedETag,
        CancellationToken cancellationToken)
    {
        try
        {
            return await steps.ReplaceEntryAsync(identity, entry, expectedETag, cancellationToken);
        }
        catch (Exception exception) when (StorageFaults.IsAmbiguousOutcome(exception, cancellationToken))
        {
            var (stored, storedETag) = await ReadBackAsync(identity, exception, cancellationToken);
            if (stored is not null && stored.WriteId == entry.WriteId)
            {
                logger.AmbiguousWriteConfirmed(exception, "write", identity.GrainId, StoreKind, providerName);
                return storedETag!;
            }

            throw Resolve(exception, storedETag, expectedETag);
        }
    }

    // Uploads a new blob, or confirms after an ambiguous failure that the upload landed.
    private async Task<string> UploadConfirmedAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken)
    {
        try
        {
            return await steps.UploadSpillAsync(identity, spillId, envelope, cancellationToken);
        }
        catch (Exception exception) when (StorageFaults.IsAmbiguousOutcome(exception, cancellationToken))
        {
            (CheckpointEnvelope? Envelope, string? ETag) stored;
            try
            {
                stored = await steps.ReadSpillAsync(identity, spillId, cancellationToken);
            }
            catch (Exception readFailure) when (readFailure is not OperationCanceledException)
            {
                logger.ReadBackFailed(readFailure, identity.GrainId, StoreKind, providerName);
                ExceptionDispatchInfo.Throw(exception);
                throw;
            }

            if (stored.Envelope is null || stored.Envelope.WriteId != envelope.WriteId)
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            logger.AmbiguousWriteConfirmed(exception, "upload", identity.GrainId, StoreKind, providerName);
            return stored.ETag!;
        }
    }

    private async Task<(TableCheckpointEntry? Entry, string? ETag)> ReadBackAsync(
        CheckpointIdentity identity,
        Exception original,
        CancellationToken cancellationToken)
    {
        try
        {
            return await steps.ReadEntryAsync(identity, cancellationToken);
        }
        catch (Exception readFailure) when (readFailure is not OperationCanceledException)
        {
            // The outcome stays unknown, so the caller sees the original failure and nothing is deleted.
            logger.ReadBackFailed(readFailure, identity.GrainId, StoreKind, providerName);
            ExceptionDispatchInfo.Throw(original);
            throw;
        }
    }

    // Returns the exception for a request that did not land as this writer's. When the entity is no longer at the
    // expected ETag, the conditional request can never succeed, so that is a definite conflict. Otherwise the
    // request may still be in flight, and the original error stays.
    private static Exception Resolve(Exception original, string? storedETag, string? expectedETag)
    {
        if (string.Equals(storedETag, expectedETag, StringComparison.Ordinal))
        {
            return original;
        }

        var conflict = original as InconsistentStateException ?? new InconsistentStateException(
            $"The entity changed from ETag '{expectedETag ?? "none"}' to '{storedETag ?? "none"}' while the request " +
            $"failed: {original.Message}",
            storedETag ?? "none",
            expectedETag ?? "none",
            original);
        conflict.Data[DefiniteMarker] = true;
        return conflict;
    }

    private bool FitsInline(CheckpointIdentity identity, byte[] payload) =>
        payload.Length <= maxInlineBytes
        && payload.Length + (long)identity.Value.Length + RecordOverheadBytes <= MaxEntityRecordBytes;
}
