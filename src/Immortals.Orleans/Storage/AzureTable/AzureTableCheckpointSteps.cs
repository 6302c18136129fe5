using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Storage requests of the table store, made through Orleans' <see cref="AzureTableGrainStorage"/> (entity
/// splitting over binary properties, ETag checks, table creation) and <see cref="AzureBlobGrainStorage"/>
/// (conditional blob writes, container creation).
/// </summary>
/// <remarks>
/// Both providers see a synthetic grain id whose key is the checkpoint's encoded name, shortened to fit. Orleans'
/// table provider puts the service id and that grain id into the partition key, and the constant
/// <see cref="EntryStateName"/> into the row key. Spill blobs are named <c>spill-{id}-ckpt/{name}.json</c>.
/// </remarks>
internal sealed class AzureTableCheckpointSteps(
    AzureTableGrainStorage table,
    AzureBlobGrainStorage blobs,
    int maxNameLength) : ITableCheckpointSteps
{
    /// <summary>State name under which Orleans stores the entity; it becomes the row key.</summary>
    public const string EntryStateName = "checkpoint";

    private const string SyntheticGrainType = "ckpt";
    private const string SpillStatePrefix = "spill-";

    /// <summary>Reads the entity's record and ETag, or returns null when there is no entity.</summary>
    public async Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>();
        await table.ReadStateAsync(EntryStateName, ToGrainId(identity), state, cancellationToken);
        return state.ETag is null ? (null, null) : (state.RecordExists ? state.State : null, state.ETag);
    }

    /// <summary>Reads a spill blob's envelope and ETag, or returns null when the blob does not exist.</summary>
    public async Task<(CheckpointEnvelope? Envelope, string? ETag)> ReadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<CheckpointEnvelope>();
        await blobs.ReadStateAsync(SpillStatePrefix + spillId, ToGrainId(identity), state, cancellationToken);
        return state.ETag is null ? (null, null) : (state.RecordExists ? state.State : null, state.ETag);
    }

    /// <summary>Deletes the entity if its ETag is <paramref name="entityETag"/>.</summary>
    public Task DeleteEntryAsync(CheckpointIdentity identity, string entityETag, CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>(new TableCheckpointEntry(), entityETag);
        return table.ClearStateAsync(EntryStateName, ToGrainId(identity), state, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> UploadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken)
    {
        // No ETag makes Orleans upload with If-None-Match: *, so an existing blob is never overwritten.
        var state = new GrainState<CheckpointEnvelope>(envelope, null);
        await blobs.WriteStateAsync(SpillStatePrefix + spillId, ToGrainId(identity), state, cancellationToken);
        return state.ETag!;
    }

    /// <inheritdoc />
    public async Task<string> ReplaceEntryAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? entityETag,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>(entry, entityETag);
        await table.WriteStateAsync(EntryStateName, ToGrainId(identity), state, cancellationToken);
        return state.ETag!;
    }

    /// <inheritdoc />
    public Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<CheckpointEnvelope>(new CheckpointEnvelope(), spillETag);
        return blobs.ClearStateAsync(SpillStatePrefix + spillId, ToGrainId(identity), state, cancellationToken);
    }

    /// <summary>Returns the name Orleans gives a spill blob, for tools and tests.</summary>
    public string GetSpillBlobName(CheckpointIdentity identity, string spillId) =>
        $"{SpillStatePrefix}{spillId}-{ToGrainId(identity)}.json";

    private GrainId ToGrainId(CheckpointIdentity identity) =>
        GrainId.Create(SyntheticGrainType, identity.ToName(maxNameLength));
}
