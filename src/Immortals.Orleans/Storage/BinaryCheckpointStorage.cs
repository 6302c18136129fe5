using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Base of the stores that keep the grain state as bytes in Orleans' binary serialization format, wrapped in a
/// <see cref="CheckpointEnvelope"/> that carries the checkpoint's identity.
/// </summary>
internal abstract class BinaryCheckpointStorage : CheckpointStorage
{
    protected BinaryCheckpointStorage(
        string name,
        string kind,
        string serviceId,
        CheckpointSerializer serializer,
        IActivatorProvider activators,
        ILogger logger,
        TimeProvider timeProvider)
        : base(name, kind, serviceId, activators, logger, timeProvider)
    {
        Serializer = serializer;
    }

    protected CheckpointSerializer Serializer { get; }

    /// <inheritdoc />
    protected sealed override async Task<long?> ReadCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        var stored = await ReadPayloadAsync(identity, cancellationToken);
        if (stored is not { } checkpoint)
        {
            ResetState(grainState);
            return null;
        }

        T state;
        try
        {
            state = Serializer.Deserialize<T>(checkpoint.Payload);
        }
        catch (Exception exception)
        {
            throw Corrupt(identity, $"its grain state does not deserialize as {typeof(T)}", exception);
        }

        grainState.State = state;
        grainState.ETag = checkpoint.ETag;
        grainState.RecordExists = true;
        return checkpoint.Payload.Length;
    }

    /// <inheritdoc />
    protected sealed override async Task<long> WriteCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        var payload = Serializer.Serialize(grainState.State);
        grainState.ETag = await WritePayloadAsync(identity, payload, grainState.ETag, cancellationToken);
        grainState.RecordExists = true;
        return payload.Length;
    }

    /// <inheritdoc />
    protected sealed override async Task ClearCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        await ClearPayloadAsync(identity, grainState.ETag, cancellationToken);
        ResetState(grainState);
    }

    /// <summary>Reads the serialized grain state and its ETag, or returns null when no checkpoint exists.</summary>
    protected abstract Task<StoredCheckpoint?> ReadPayloadAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the checkpoint if its ETag is <paramref name="eTag"/>, or creates it if <paramref name="eTag"/> is
    /// null and none exists, and returns the new ETag.
    /// </summary>
    protected abstract Task<string> WritePayloadAsync(
        CheckpointIdentity identity,
        byte[] payload,
        string? eTag,
        CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the checkpoint if its ETag is <paramref name="eTag"/>. A null ETag succeeds only when no checkpoint
    /// exists.
    /// </summary>
    protected abstract Task ClearPayloadAsync(
        CheckpointIdentity identity,
        string? eTag,
        CancellationToken cancellationToken);

    /// <summary>Wraps a payload with the checkpoint's identity, the write id, the generation and the checksum.</summary>
    protected static CheckpointEnvelope Seal(
        CheckpointIdentity identity,
        byte[] payload,
        Guid writeId,
        long generation) => new()
    {
        Format = CheckpointEnvelope.CurrentFormat,
        Identity = identity.Value,
        Payload = payload,
        WriteId = writeId,
        Generation = generation,
        Checksum = PayloadChecksum.Compute(payload),
    };

    /// <summary>
    /// Checks that an envelope read from storage belongs to this checkpoint and that its payload matches its
    /// checksum, and returns the payload.
    /// </summary>
    protected byte[] Open(CheckpointIdentity identity, CheckpointEnvelope? envelope, string place)
    {
        if (envelope is null)
        {
            throw Corrupt(identity, $"{place} contains no checkpoint record", null);
        }

        if (envelope.Format != CheckpointEnvelope.CurrentFormat)
        {
            throw Corrupt(identity, $"{place} has format version {envelope.Format}, this code reads version " +
                $"{CheckpointEnvelope.CurrentFormat}", null);
        }

        if (!string.Equals(envelope.Identity, identity.Value, StringComparison.Ordinal))
        {
            throw Corrupt(identity, $"{place} belongs to another checkpoint ('{envelope.Identity}')", null);
        }

        if (PayloadChecksum.Verify(envelope.Payload, envelope.Checksum) is { } mismatch)
        {
            throw Corrupt(identity, $"in {place}, {mismatch}", null);
        }

        return envelope.Payload;
    }
}
