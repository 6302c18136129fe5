using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Keeps each checkpoint in an Azure table entity, or, when it is too large for an entity, in an Azure blob that
/// the entity points to. See <see cref="TableCheckpointWriter"/> for how a write moves between the two.
/// </summary>
/// <remarks>
/// The ETag this store hands to Orleans is a <see cref="TableCheckpointToken"/>. Reads check the full identity
/// and the payload checksum stored in the entity or the blob, and a blob's generation, write id and ETag against
/// the ones the entity recorded.
/// </remarks>
internal sealed class AzureTableCheckpointStorage : BinaryCheckpointStorage
{
    /// <summary>Kind of this store in messages, logs and metrics.</summary>
    public const string StoreKind = "Azure Table";

    // Orleans builds the partition key as "{serviceId}_ckpt_{name}" and accepts fewer than 1,024 characters.
    // 512 characters also stay within 1 KiB if a service counts key size in UTF-16 bytes.
    private const int MaxPartitionKeyLength = 512;
    private const int MinNameLength = 128;

    // A read retries when the blob it was reading was deleted because another writer moved the entity on.
    private const int MaxReadAttempts = 5;

    private readonly AzureTableImmortalStorageOptions _options;
    private readonly NestedProviderLifecycle _nested = new();
    private readonly TableOrphanSweeper _sweeper;
    private TableCheckpointWriter _writer;
    private ITableCheckpointSteps _steps;

    public AzureTableCheckpointStorage(
        string name,
        string serviceId,
        AzureTableImmortalStorageOptions options,
        AzureTableGrainStorage table,
        AzureBlobGrainStorage spillBlobs,
        CheckpointSerializer serializer,
        IActivatorProvider activators,
        ILogger<AzureTableCheckpointStorage> logger,
        TimeProvider timeProvider)
        : base(name, StoreKind, serviceId, serializer, activators, logger, timeProvider)
    {
        _options = options;
        table.Participate(_nested);

        // Orleans' blob provider only creates the spill container at start-up. The store writes spill blobs through
        // the container client, because it sets their names and request conditions itself.
        spillBlobs.Participate(_nested);
        Steps = new AzureTableCheckpointSteps(table, serializer, GetMaxNameLength(serviceId));
        _steps = Steps;
        _writer = new TableCheckpointWriter(Steps, options.MaxInlineBytes, name, logger);
        _sweeper = new TableOrphanSweeper(Steps, timeProvider, name, logger);
    }

    /// <summary>The storage requests this store makes.</summary>
    internal AzureTableCheckpointSteps Steps { get; }

    /// <inheritdoc />
    protected override int InitStage => _options.Table.InitStage;

    /// <summary>
    /// Returns the maximum length of a checkpoint name that fits in a partition key after Orleans adds the service id.
    /// </summary>
    public static int GetMaxNameLength(string serviceId) =>
        Math.Max(MinNameLength, MaxPartitionKeyLength - serviceId.Length - "_ckpt_".Length);

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _nested.StartAsync(cancellationToken);
        await Steps.InitializeAsync(_options.SpillBlobs, cancellationToken);
        Logger.StorageInitialized(
            Kind,
            Name,
            $"table {_options.Table.TableName}, spill container {_options.SpillBlobs.ContainerName}");
    }

    /// <summary>Routes the read and write steps through a wrapper, so tests can make a step fail or race.</summary>
    internal void InterceptSteps(Func<ITableCheckpointSteps, ITableCheckpointSteps> wrap)
    {
        _steps = wrap(Steps);
        _writer = new TableCheckpointWriter(_steps, _options.MaxInlineBytes, Name, Logger);
    }

    /// <summary>
    /// Deletes the spill blobs of the whole container that no entity points to and that no pending write can make
    /// an entity point to, if they are older than <paramref name="minimumAge"/>, and returns how many it deleted.
    /// See <see cref="TableOrphanSweeper"/> for the rule.
    /// </summary>
    internal Task<int> DeleteOrphanBlobsAsync(TimeSpan minimumAge, CancellationToken cancellationToken) =>
        _sweeper.SweepAsync(null, minimumAge, cancellationToken);

    /// <summary>Deletes the orphan spill blobs of one grain's checkpoint, as <see cref="DeleteOrphanBlobsAsync(TimeSpan, CancellationToken)"/>.</summary>
    internal Task<int> DeleteOrphanBlobsAsync(
        string stateName,
        GrainId grainId,
        TimeSpan minimumAge,
        CancellationToken cancellationToken)
    {
        var identity = CheckpointIdentity.Create(ServiceId, stateName, grainId);
        return _sweeper.SweepAsync(Steps.GetName(identity), minimumAge, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<StoredCheckpoint?> ReadPayloadAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (entry, entityETag) = await ReadEntryAsync(identity, cancellationToken);
            if (entityETag is null)
            {
                return null;
            }

            if (entry is null)
            {
                throw Corrupt(identity, "the table entity contains no checkpoint record", null);
            }

            CheckRecord(identity, entry.Format, entry.Identity, "the table entity");
            if (entry.Payload is { } inline)
            {
                if (PayloadChecksum.Verify(inline, entry.Checksum) is { } mismatch)
                {
                    throw Corrupt(identity, $"in the table entity, {mismatch}", null);
                }

                var inlineToken = new TableCheckpointToken(entityETag, entry.Generation, null, null);
                return new StoredCheckpoint(inline, inlineToken.ToString());
            }

            if (entry.SpillId is null || entry.SpillETag is null)
            {
                throw Corrupt(identity, "the table entity has neither inline data nor a blob id", null);
            }

            var payload = await ReadSpillAsync(identity, entry, entityETag, attempt, cancellationToken);
            if (payload is null)
            {
                continue;
            }

            var token = new TableCheckpointToken(entityETag, entry.Generation, entry.SpillId, entry.SpillETag);
            return new StoredCheckpoint(payload, token.ToString());
        }
    }

    /// <inheritdoc />
    protected override async Task<string> WritePayloadAsync(
        CheckpointIdentity identity,
        byte[] payload,
        string? eTag,
        CancellationToken cancellationToken)
    {
        var token = await _writer.WriteAsync(identity, payload, TableCheckpointToken.Parse(eTag), cancellationToken);
        return token.ToString();
    }

    /// <inheritdoc />
    protected override async Task ClearPayloadAsync(
        CheckpointIdentity identity,
        string? eTag,
        CancellationToken cancellationToken)
    {
        if (TableCheckpointToken.Parse(eTag) is not { } token)
        {
            // Orleans' table storage skips a delete without an ETag; an existing checkpoint is a conflict here.
            var (_, storedETag) = await ReadEntryAsync(identity, cancellationToken);
            if (storedETag is not null)
            {
                throw Conflict(identity, "clear", null, storedETag, null);
            }

            return;
        }

        await _writer.ClearAsync(identity, token, cancellationToken);
    }

    private async Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _steps.ReadEntryAsync(identity, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            throw Corrupt(identity, "the table entity does not contain a checkpoint record", exception);
        }
    }

    // Returns null when the blob is gone because another writer moved the entity on, so the caller reads again.
    private async Task<byte[]?> ReadSpillAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string entityETag,
        int attempt,
        CancellationToken cancellationToken)
    {
        var blobName = Steps.GetSpillBlobName(identity, entry.SpillId!);
        var place = $"blob {blobName}";
        CheckpointEnvelope? envelope;
        string? blobETag;
        try
        {
            (envelope, blobETag) = await _steps.ReadSpillAsync(identity, entry.SpillId!, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            throw Corrupt(identity, $"{place} does not contain a checkpoint record", exception);
        }

        if (blobETag is null)
        {
            return await CheckMissingSpillAsync(identity, entry, entityETag, place, attempt, cancellationToken);
        }

        var payload = Open(identity, envelope, place);
        if (envelope!.Generation != entry.Generation
            || envelope.WriteId != entry.WriteId
            || envelope.Checksum != entry.Checksum)
        {
            throw Corrupt(
                identity,
                $"{place} has generation {envelope.Generation}, write id {envelope.WriteId:N} and checksum " +
                $"{envelope.Checksum:X16}, but the table entity recorded generation {entry.Generation}, write id " +
                $"{entry.WriteId:N} and checksum {entry.Checksum:X16}",
                null);
        }

        if (!string.Equals(blobETag, entry.SpillETag, StringComparison.Ordinal))
        {
            throw Corrupt(
                identity,
                $"{place} has ETag {blobETag} but the table entity recorded {entry.SpillETag}, so it was replaced",
                null);
        }

        if (payload.Length != entry.SpillLength)
        {
            throw Corrupt(
                identity,
                $"{place} contains {payload.Length} bytes but the table entity recorded {entry.SpillLength}",
                null);
        }

        return payload;
    }

    // A blob is deleted only after the entity stopped pointing to it. If the entity still points to it, the blob
    // was lost, and reporting "no checkpoint" would restart the grain from empty state.
    private async Task<byte[]?> CheckMissingSpillAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string entityETag,
        string place,
        int attempt,
        CancellationToken cancellationToken)
    {
        var (_, currentETag) = await ReadEntryAsync(identity, cancellationToken);
        if (string.Equals(currentETag, entityETag, StringComparison.Ordinal))
        {
            throw Corrupt(identity, $"the table entity points to {place}, which does not exist", null);
        }

        if (attempt >= MaxReadAttempts)
        {
            throw new CheckpointStorageException(
                Name,
                Kind,
                identity.GrainId,
                isCorrupt: false,
                $"Failed to read the checkpoint of grain {identity.GrainId} in {Kind} storage '{Name}': other " +
                $"writers replaced it during each of {MaxReadAttempts} reads. Check for two activations of the " +
                "grain writing at once, then retry.",
                null);
        }

        Logger.SpillBlobReplacedDuringRead(
            place,
            identity.GrainId,
            Kind,
            Name,
            attempt);
        return null;
    }

    private void CheckRecord(CheckpointIdentity identity, int format, string storedIdentity, string place)
    {
        if (format != TableCheckpointEntry.CurrentFormat)
        {
            throw Corrupt(identity, $"{place} has format version {format}, this code reads version " +
                $"{TableCheckpointEntry.CurrentFormat}", null);
        }

        if (!string.Equals(storedIdentity, identity.Value, StringComparison.Ordinal))
        {
            throw Corrupt(identity, $"{place} belongs to another checkpoint ('{storedIdentity}')", null);
        }
    }
}
