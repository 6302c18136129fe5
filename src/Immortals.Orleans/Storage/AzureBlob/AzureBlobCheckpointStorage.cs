using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureBlob;

/// <summary>
/// Keeps one Azure blob per grain checkpoint, written through Orleans' <see cref="AzureBlobGrainStorage"/>, which
/// creates the container at start-up and makes every write conditional on the blob's ETag (If-Match, or
/// If-None-Match: * for a first write).
/// </summary>
/// <remarks>
/// This store adds reversible encoding of grain ids into blob names, shortening of long names, a check of the
/// full identity and the payload checksum on read, and the binary envelope with a fresh write id. A write or clear
/// can fail without a definite outcome: the SDK's retry of a request whose response was lost gets 412 or 409, or
/// the request times out. The store then reads the blob back, and reports success when the blob carries this
/// write's id, or when a cleared blob is gone. Orleans names the blob
/// <c>checkpoint-ckpt/{name}.json</c>; the <c>.json</c> suffix is Orleans' fixed naming, the content is binary.
/// </remarks>
internal sealed class AzureBlobCheckpointStorage : BinaryCheckpointStorage
{
    /// <summary>Kind of this store in messages, logs and metrics.</summary>
    public const string StoreKind = "Azure Blob";

    // Blob names may have 1,024 characters; Orleans adds the state name, the grain type and ".json".
    private const int MaxNameLength = 960;
    private const string BlobStateName = "checkpoint";
    private const string BlobGrainType = "ckpt";

    private readonly AzureBlobImmortalStorageOptions _options;
    private readonly AzureBlobGrainStorage _blobs;
    private readonly NestedProviderLifecycle _nested = new();

    public AzureBlobCheckpointStorage(
        string name,
        string serviceId,
        AzureBlobImmortalStorageOptions options,
        AzureBlobGrainStorage blobs,
        CheckpointSerializer serializer,
        IActivatorProvider activators,
        ILogger<AzureBlobCheckpointStorage> logger,
        TimeProvider timeProvider)
        : base(name, StoreKind, serviceId, serializer, activators, logger, timeProvider)
    {
        _options = options;
        _blobs = blobs;
        _blobs.Participate(_nested);
    }

    /// <inheritdoc />
    protected override int InitStage => _options.Blob.InitStage;

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _nested.StartAsync(cancellationToken);
        Logger.StorageInitialized(Kind, Name, $"container {_options.Blob.ContainerName}");
    }

    /// <inheritdoc />
    protected override async Task<StoredCheckpoint?> ReadPayloadAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken)
    {
        var state = new GrainState<CheckpointEnvelope>();
        try
        {
            await _blobs.ReadStateAsync(BlobStateName, ToBlobGrainId(identity), state, cancellationToken);
        }
        catch (Exception exception) when (!StorageFaults.IsTransportFailure(exception)
            && exception is not OperationCanceledException)
        {
            throw Corrupt(identity, "the blob does not contain a checkpoint record", exception);
        }

        if (!state.RecordExists)
        {
            // Orleans reports an empty blob, or one that decodes to null, as a missing record with an ETag.
            return state.ETag is null ? null : throw Corrupt(identity, "the blob is empty or contains no record", null);
        }

        var payload = Open(identity, state.State, "the blob");
        return new StoredCheckpoint(payload, state.ETag!);
    }

    /// <inheritdoc />
    protected override async Task<string> WritePayloadAsync(
        CheckpointIdentity identity,
        byte[] payload,
        string? eTag,
        CancellationToken cancellationToken)
    {
        var writeId = Guid.NewGuid();
        var state = new GrainState<CheckpointEnvelope>(Seal(identity, payload, writeId, 0), eTag);
        try
        {
            await _blobs.WriteStateAsync(BlobStateName, ToBlobGrainId(identity), state, cancellationToken);
            return state.ETag!;
        }
        catch (Exception exception) when (StorageFaults.IsAmbiguousOutcome(exception, cancellationToken))
        {
            var stored = await ReadBackAsync(identity, exception, cancellationToken);
            if (stored.State is not { } envelope || envelope.WriteId != writeId)
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            Logger.AmbiguousWriteConfirmed(exception, "write", identity.GrainId, Kind, Name);
            return stored.ETag!;
        }
    }

    /// <inheritdoc />
    protected override async Task ClearPayloadAsync(
        CheckpointIdentity identity,
        string? eTag,
        CancellationToken cancellationToken)
    {
        // With no ETag, Orleans deletes under If-None-Match: *, which fails when the blob exists.
        var state = new GrainState<CheckpointEnvelope>(new CheckpointEnvelope(), eTag);
        try
        {
            await _blobs.ClearStateAsync(BlobStateName, ToBlobGrainId(identity), state, cancellationToken);
        }
        catch (Exception exception) when (eTag is not null
            && StorageFaults.IsAmbiguousOutcome(exception, cancellationToken))
        {
            var stored = await ReadBackAsync(identity, exception, cancellationToken);
            if (stored.ETag is not null)
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            Logger.AmbiguousWriteConfirmed(exception, "clear", identity.GrainId, Kind, Name);
        }
    }

    // Reads the blob after a failed request; if that fails too, the original failure is raised.
    private async Task<GrainState<CheckpointEnvelope>> ReadBackAsync(
        CheckpointIdentity identity,
        Exception original,
        CancellationToken cancellationToken)
    {
        var stored = new GrainState<CheckpointEnvelope>();
        try
        {
            await _blobs.ReadStateAsync(BlobStateName, ToBlobGrainId(identity), stored, cancellationToken);
        }
        catch (Exception readFailure) when (readFailure is not OperationCanceledException)
        {
            Logger.ReadBackFailed(readFailure, identity.GrainId, Kind, Name);
            ExceptionDispatchInfo.Throw(original);
        }

        return stored;
    }

    /// <summary>Returns the blob name Orleans uses for a checkpoint, for tools and tests.</summary>
    internal static string GetBlobName(CheckpointIdentity identity) =>
        $"{BlobStateName}-{ToBlobGrainId(identity)}.json";

    private static GrainId ToBlobGrainId(CheckpointIdentity identity) =>
        GrainId.Create(BlobGrainType, identity.ToName(MaxNameLength));
}
