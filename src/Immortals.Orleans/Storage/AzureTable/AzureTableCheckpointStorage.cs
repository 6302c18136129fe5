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
/// stored in the entity and in the blob, and the blob's ETag against the one the entity recorded.
/// </remarks>
internal sealed class AzureTableCheckpointStorage : BinaryCheckpointStorage
{
    /// <summary>Kind of this store in messages, logs and metrics.</summary>
    public const string StoreKind = "Azure Table";

    // Orleans builds the partition key as "{serviceId}_ckpt_{name}" and accepts fewer than 1,024 characters.
    // 512 characters also stay within 1 KiB if a service counts key size in UTF-16 bytes.
    private const int MaxPartitionKeyLength = 512;
    private const int MinNameLength = 128;

    private readonly AzureTableImmortalStorageOptions _options;
    private readonly NestedProviderLifecycle _nested = new();
    private TableCheckpointWriter _writer;

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
        spillBlobs.Participate(_nested);
        Steps = new AzureTableCheckpointSteps(table, spillBlobs, GetMaxNameLength(serviceId));
        _writer = new TableCheckpointWriter(Steps, options.MaxInlineBytes, name, logger);
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
        Logger.StorageInitialized(
            Kind,
            Name,
            $"table {_options.Table.TableName}, spill container {_options.SpillBlobs.ContainerName}");
    }

    /// <summary>Routes the write steps through a wrapper, so tests can make a step fail.</summary>
    internal void InterceptSteps(Func<ITableCheckpointSteps, ITableCheckpointSteps> wrap) =>
        _writer = new TableCheckpointWriter(wrap(Steps), _options.MaxInlineBytes, Name, Logger);

    /// <inheritdoc />
    protected override async Task<StoredCheckpoint?> ReadPayloadAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
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
            return new StoredCheckpoint(inline, new TableCheckpointToken(entityETag, null, null).ToString());
        }

        if (entry.SpillId is null || entry.SpillETag is null)
        {
            throw Corrupt(identity, "the table entity has neither inline data nor a blob id", null);
        }

        var payload = await ReadSpillAsync(identity, entry, cancellationToken);
        var token = new TableCheckpointToken(entityETag, entry.SpillId, entry.SpillETag);
        return new StoredCheckpoint(payload, token.ToString());
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

        await Steps.DeleteEntryAsync(identity, token.EntityETag, cancellationToken);
        await _writer.DeleteSupersededAsync(identity, token, cancellationToken);
    }

    private async Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        try
        {
            return await Steps.ReadEntryAsync(identity, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            throw Corrupt(identity, "the table entity does not contain a checkpoint record", exception);
        }
    }

    private async Task<byte[]> ReadSpillAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        CancellationToken cancellationToken)
    {
        var place = $"blob {Steps.GetSpillBlobName(identity, entry.SpillId!)}";
        CheckpointEnvelope? envelope;
        string? blobETag;
        try
        {
            (envelope, blobETag) = await Steps.ReadSpillAsync(identity, entry.SpillId!, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            throw Corrupt(identity, $"{place} does not contain a checkpoint record", exception);
        }

        if (blobETag is null)
        {
            throw Corrupt(identity, $"the table entity points to {place}, which does not exist", null);
        }

        if (!string.Equals(blobETag, entry.SpillETag, StringComparison.Ordinal))
        {
            throw Corrupt(
                identity,
                $"{place} has ETag {blobETag} but the table entity recorded {entry.SpillETag}, so it was replaced",
                null);
        }

        var payload = Open(identity, envelope, place);
        if (payload.Length != entry.SpillLength)
        {
            throw Corrupt(
                identity,
                $"{place} contains {payload.Length} bytes but the table entity recorded {entry.SpillLength}",
                null);
        }

        return payload;
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
