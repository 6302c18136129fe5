using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Base of every checkpoint store: argument checks, metrics, logging, silo start-up, and the translation of
/// failures into exceptions that name the store, the grain and what to do.
/// </summary>
/// <remarks>
/// ETag conflicts surface as <see cref="InconsistentStateException"/>, unreadable checkpoints and other failures
/// as <see cref="CheckpointStorageException"/>. A failed operation leaves the caller's grain state unchanged.
/// </remarks>
internal abstract class CheckpointStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    // Marks conflicts that already carry this store's message, so they are not wrapped twice.
    private const string ConflictMarker = "Immortals.Orleans.CheckpointStore";

    private readonly IActivatorProvider _activators;
    private readonly TimeProvider _timeProvider;

    protected CheckpointStorage(
        string name,
        string kind,
        string serviceId,
        IActivatorProvider activators,
        ILogger logger,
        TimeProvider timeProvider)
    {
        Name = name;
        Kind = kind;
        ServiceId = serviceId;
        _activators = activators;
        Logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>Name of the storage provider.</summary>
    public string Name { get; }

    /// <summary>Kind of the store, for messages, logs and metric tags.</summary>
    public string Kind { get; }

    /// <summary>Orleans service id, part of every checkpoint's identity.</summary>
    protected string ServiceId { get; }

    protected ILogger Logger { get; }

    /// <summary>Silo lifecycle stage at which the store initializes.</summary>
    protected abstract int InitStage { get; }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{GetType().Name}-{Name}", InitStage, InitializeAsync);

    /// <summary>
    /// Creates what the store needs before the first grain uses it: tables, containers, folders. The silo calls it
    /// at start-up.
    /// </summary>
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        return MeasureAsync(
            "read",
            stateName,
            grainId,
            () => grainState.ETag,
            async (identity, tags) =>
            {
                var bytes = await ReadCoreAsync(identity, grainId, stateName, grainState, cancellationToken);
                CheckpointStorageMetrics.Reads.Add(1, tags);
                if (bytes is null)
                {
                    Logger.CheckpointNotFound(identity.GrainId, Kind, Name);
                    return;
                }

                CheckpointStorageMetrics.BytesRead.Add(bytes.Value, tags);
                Logger.CheckpointRead(identity.GrainId, Kind, Name, bytes.Value, grainState.ETag);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        return MeasureAsync(
            "write",
            stateName,
            grainId,
            () => grainState.ETag,
            async (identity, tags) =>
            {
                var bytes = await WriteCoreAsync(identity, grainId, stateName, grainState, cancellationToken);
                CheckpointStorageMetrics.Writes.Add(1, tags);
                CheckpointStorageMetrics.BytesWritten.Add(bytes, tags);
                Logger.CheckpointWritten(identity.GrainId, Kind, Name, bytes, grainState.ETag);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(
        string stateName,
        GrainId grainId,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        return MeasureAsync(
            "clear",
            stateName,
            grainId,
            () => grainState.ETag,
            async (identity, tags) =>
            {
                await ClearCoreAsync(identity, grainId, stateName, grainState, cancellationToken);
                CheckpointStorageMetrics.Clears.Add(1, tags);
                Logger.CheckpointCleared(identity.GrainId, Kind, Name);
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs one storage operation, records its duration and translates its failures into exceptions that name the
    /// store and the grain.
    /// </summary>
    private async Task MeasureAsync(
        string operation,
        string stateName,
        GrainId grainId,
        Func<string?> currentETag,
        Func<CheckpointIdentity, TagList, Task> runAsync,
        CancellationToken cancellationToken)
    {
        var identity = CheckpointIdentity.Create(ServiceId, stateName, grainId);
        var tags = CheckpointStorageMetrics.CreateTags(Kind, Name, operation);
        var started = _timeProvider.GetTimestamp();
        try
        {
            await runAsync(identity, tags);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            throw Translate(exception, operation, identity, stateName, currentETag(), tags);
        }
        finally
        {
            CheckpointStorageMetrics.Duration.Record(_timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>
    /// Reads the checkpoint into <paramref name="grainState"/> and returns the size of the serialized grain state,
    /// or null when no checkpoint exists.
    /// </summary>
    protected abstract Task<long?> ReadCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken);

    /// <summary>
    /// Writes the checkpoint if its ETag matches, updates the ETag of <paramref name="grainState"/> and returns the
    /// size of the serialized grain state.
    /// </summary>
    protected abstract Task<long> WriteCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken);

    /// <summary>Deletes the checkpoint if its ETag matches and resets <paramref name="grainState"/>.</summary>
    protected abstract Task ClearCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken);

    /// <summary>Sets the grain state to a fresh instance with no record and no ETag.</summary>
    protected void ResetState<T>(IGrainState<T> grainState)
    {
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Creates the exception for a checkpoint that exists but cannot be read.</summary>
    protected CheckpointStorageException Corrupt(CheckpointIdentity identity, string problem, Exception? cause) =>
        new(
            Name,
            Kind,
            identity.GrainId,
            isCorrupt: true,
            $"The checkpoint of grain {identity.GrainId} in {Kind} storage '{Name}' cannot be read: {problem}. " +
            "The store keeps it unchanged and rejects writes until it is repaired: restore it from a backup, or " +
            "delete it to let the grain start from empty state.",
            cause);

    /// <summary>Creates the exception for a write or clear whose ETag does not match the stored checkpoint.</summary>
    protected InconsistentStateException Conflict(
        CheckpointIdentity identity,
        string operation,
        string? expectedETag,
        string? storedETag,
        Exception? cause)
    {
        var conflict = new InconsistentStateException(
            $"Failed to {operation} the checkpoint of grain {identity.GrainId} in {Kind} storage '{Name}': it was " +
            $"changed by another writer since this activation read it (ETag '{expectedETag ?? "none"}'). This " +
            "activation is stale: deactivate it and let the grain reactivate from the stored checkpoint.",
            storedETag ?? "Unknown",
            expectedETag ?? "none",
            cause);
        conflict.Data[ConflictMarker] = Name;
        return conflict;
    }

    private Exception Translate(
        Exception exception,
        string operation,
        CheckpointIdentity identity,
        string stateName,
        string? eTag,
        TagList tags)
    {
        switch (exception)
        {
            case InconsistentStateException conflict:
                CountError(tags, "conflict");
                Logger.CheckpointConflict(conflict, operation, identity.GrainId, Kind, Name, eTag);
                return conflict.Data.Contains(ConflictMarker)
                    ? conflict
                    : Conflict(identity, operation, eTag, conflict.StoredEtag, conflict);

            case CheckpointStorageException { IsCorrupt: true } corrupt:
                CountError(tags, "corrupt");
                Logger.CheckpointCorrupt(corrupt, identity.GrainId, Kind, Name);
                return corrupt;

            case CheckpointStorageException failure:
                CountError(tags, "failure");
                Logger.CheckpointFailed(failure, operation, identity.GrainId, Kind, Name);
                return failure;

            default:
                CountError(tags, "failure");
                Logger.CheckpointFailed(exception, operation, identity.GrainId, Kind, Name);
                return new CheckpointStorageException(
                    Name,
                    Kind,
                    identity.GrainId,
                    isCorrupt: false,
                    $"Failed to {operation} the checkpoint '{stateName}' of grain {identity.GrainId} in {Kind} " +
                    $"storage '{Name}': {exception.Message} Check that the storage is reachable and configured " +
                    $"correctly. The stored checkpoint is unchanged unless the {operation} reached the storage " +
                    "before the failure; retrying with the same ETag is safe.",
                    exception);
        }
    }

    private static void CountError(TagList tags, string errorType)
    {
        tags.Add(CheckpointStorageMetrics.ErrorTypeTag, errorType);
        CheckpointStorageMetrics.Errors.Add(1, tags);
    }

    private static bool IsCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
