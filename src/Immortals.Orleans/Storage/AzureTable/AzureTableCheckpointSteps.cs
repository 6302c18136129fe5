using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Storage requests of the table store: entities through Orleans' <see cref="AzureTableGrainStorage"/> (entity
/// splitting over binary properties, ETag checks, table creation), spill blobs through the container client of the
/// spill blob options, in the names that <see cref="SpillBlobName"/> defines.
/// </summary>
/// <remarks>
/// Orleans' table provider receives a synthetic grain id whose key is the checkpoint's encoded name, shortened to fit.
/// It puts the service id and that grain id into the partition key, and the constant
/// <see cref="EntryStateName"/> into the row key. Spill blobs use the same shortened name.
/// </remarks>
internal sealed class AzureTableCheckpointSteps(
    AzureTableGrainStorage table,
    CheckpointSerializer serializer,
    int maxNameLength) : ITableCheckpointSteps
{
    /// <summary>State name under which Orleans stores the entity; it becomes the row key.</summary>
    public const string EntryStateName = "checkpoint";

    private const string SyntheticGrainType = "ckpt";

    private BlobContainerClient? _container;

    /// <summary>The spill container; set when the store starts.</summary>
    public BlobContainerClient Container =>
        _container ?? throw new InvalidOperationException("The checkpoint store has not been started.");

    /// <summary>
    /// Takes the spill container client from <see cref="AzureBlobStorageOptions.BlobServiceClient"/>, which the
    /// options validator requires, and creates the container if it is missing.
    /// </summary>
    public async Task InitializeAsync(AzureBlobStorageOptions options, CancellationToken cancellationToken)
    {
        var container = options.BlobServiceClient!.GetBlobContainerClient(options.ContainerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _container = container;
    }

    /// <summary>Returns the shortened name of a checkpoint that its entity key and its blob names contain.</summary>
    public string GetName(CheckpointIdentity identity) => identity.ToName(maxNameLength);

    /// <inheritdoc />
    public Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken) =>
        ReadEntryAsync(GetName(identity), cancellationToken);

    /// <summary>Reads the entity of a shortened checkpoint name, as <see cref="ReadEntryAsync(CheckpointIdentity, CancellationToken)"/>.</summary>
    public async Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        string name,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>();
        await table.ReadStateAsync(EntryStateName, ToGrainId(name), state, cancellationToken);
        return state.ETag is null ? (null, null) : (state.RecordExists ? state.State : null, state.ETag);
    }

    /// <inheritdoc />
    public async Task<(CheckpointEnvelope? Envelope, string? ETag)> ReadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(GetSpillBlobName(identity, spillId));
        BlobDownloadResult content;
        try
        {
            content = (await blob.DownloadContentAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return (null, null);
        }

        var envelope = serializer.Deserialize<CheckpointEnvelope>(content.Content.ToMemory());
        return (envelope, content.Details.ETag.ToString());
    }

    /// <inheritdoc />
    public async Task<string> UploadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(GetSpillBlobName(identity, spillId));
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        var content = BinaryData.FromBytes(serializer.Serialize(envelope));
        var response = await blob.UploadAsync(content, options, cancellationToken);
        return response.Value.ETag.ToString();
    }

    /// <inheritdoc />
    public async Task<string> ReplaceEntryAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? entityETag,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>(entry, entityETag);
        await table.WriteStateAsync(EntryStateName, ToGrainId(GetName(identity)), state, cancellationToken);
        return state.ETag!;
    }

    /// <inheritdoc />
    public Task DeleteEntryAsync(CheckpointIdentity identity, string entityETag, CancellationToken cancellationToken)
    {
        var state = new GrainState<TableCheckpointEntry>(new TableCheckpointEntry(), entityETag);
        return table.ClearStateAsync(EntryStateName, ToGrainId(GetName(identity)), state, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken) =>
        DeleteSpillBlobAsync(GetSpillBlobName(identity, spillId), spillETag, cancellationToken);

    /// <summary>Deletes a blob by name if its ETag is still <paramref name="eTag"/>; a missing blob is no error.</summary>
    public async Task DeleteSpillBlobAsync(string blobName, string eTag, CancellationToken cancellationToken)
    {
        var conditions = new BlobRequestConditions { IfMatch = new ETag(eTag) };
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(
            DeleteSnapshotsOption.None,
            conditions,
            cancellationToken);
    }

    /// <summary>Lists the spill blobs of one checkpoint name, or of the whole container when it is null.</summary>
    public IAsyncEnumerable<BlobItem> ListSpillBlobsAsync(string? name, CancellationToken cancellationToken) =>
        Container.GetBlobsAsync(
            BlobTraits.None,
            BlobStates.None,
            name is null ? null : SpillBlobName.Prefix(name),
            cancellationToken);

    /// <summary>Returns the name of a spill blob, for messages, tools and tests.</summary>
    public string GetSpillBlobName(CheckpointIdentity identity, string spillId) =>
        SpillBlobName.Format(GetName(identity), spillId);

    private static GrainId ToGrainId(string name) => GrainId.Create(SyntheticGrainType, name);
}
