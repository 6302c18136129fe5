using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Storage;

/// <summary>Log messages of the checkpoint stores. Event ids 3000 to 3099 belong to storage.</summary>
internal static partial class CheckpointStorageLog
{
    [LoggerMessage(
        EventId = 3000,
        Level = LogLevel.Information,
        Message = "Initialized {StoreKind} checkpoint storage {ProviderName} ({Location})")]
    public static partial void StorageInitialized(
        this ILogger logger,
        string storeKind,
        string providerName,
        string location);

    [LoggerMessage(
        EventId = 3001,
        Level = LogLevel.Debug,
        Message = "Read checkpoint of grain {GrainId} from {StoreKind} storage {ProviderName}: {Bytes} bytes, ETag {ETag}")]
    public static partial void CheckpointRead(
        this ILogger logger,
        string grainId,
        string storeKind,
        string providerName,
        long bytes,
        string? eTag);

    [LoggerMessage(
        EventId = 3002,
        Level = LogLevel.Debug,
        Message = "No checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName}")]
    public static partial void CheckpointNotFound(this ILogger logger, string grainId, string storeKind, string providerName);

    [LoggerMessage(
        EventId = 3003,
        Level = LogLevel.Debug,
        Message = "Wrote checkpoint of grain {GrainId} to {StoreKind} storage {ProviderName}: {Bytes} bytes, ETag {ETag}")]
    public static partial void CheckpointWritten(
        this ILogger logger,
        string grainId,
        string storeKind,
        string providerName,
        long bytes,
        string? eTag);

    [LoggerMessage(
        EventId = 3004,
        Level = LogLevel.Debug,
        Message = "Cleared checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName}")]
    public static partial void CheckpointCleared(this ILogger logger, string grainId, string storeKind, string providerName);

    [LoggerMessage(
        EventId = 3010,
        Level = LogLevel.Warning,
        Message = "ETag conflict on {Operation} of the checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName} with ETag {ETag}")]
    public static partial void CheckpointConflict(
        this ILogger logger,
        Exception exception,
        string operation,
        string grainId,
        string storeKind,
        string providerName,
        string? eTag);

    [LoggerMessage(
        EventId = 3011,
        Level = LogLevel.Error,
        Message = "The checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName} cannot be read and stays unchanged")]
    public static partial void CheckpointCorrupt(
        this ILogger logger,
        Exception exception,
        string grainId,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3012,
        Level = LogLevel.Error,
        Message = "Failed to {Operation} the checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName}")]
    public static partial void CheckpointFailed(
        this ILogger logger,
        Exception exception,
        string operation,
        string grainId,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3020,
        Level = LogLevel.Warning,
        Message = "Failed to delete superseded checkpoint blob {BlobName} of grain {GrainId} in {StoreKind} storage {ProviderName}; it stays as an orphan")]
    public static partial void SupersededBlobNotDeleted(
        this ILogger logger,
        Exception exception,
        string blobName,
        string grainId,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3021,
        Level = LogLevel.Debug,
        Message = "Checkpoint of grain {GrainId} moved from {OldPlace} to {NewPlace} in {StoreKind} storage {ProviderName}")]
    public static partial void CheckpointMoved(
        this ILogger logger,
        string grainId,
        string oldPlace,
        string newPlace,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3030,
        Level = LogLevel.Warning,
        Message = "Waited {ElapsedMilliseconds} ms for the lock file {LockPath} of grain {GrainId} in {StoreKind} storage {ProviderName}")]
    public static partial void LockWaitedLong(
        this ILogger logger,
        long elapsedMilliseconds,
        string lockPath,
        string grainId,
        string storeKind,
        string providerName);
}
