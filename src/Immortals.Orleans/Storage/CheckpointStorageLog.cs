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
        EventId = 3022,
        Level = LogLevel.Warning,
        Message = "The {Operation} of the checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName} failed " +
            "without a definite outcome; reading the record back shows that it succeeded")]
    public static partial void AmbiguousWriteConfirmed(
        this ILogger logger,
        Exception exception,
        string operation,
        string grainId,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3023,
        Level = LogLevel.Warning,
        Message = "Failed to read back the checkpoint of grain {GrainId} in {StoreKind} storage {ProviderName} after " +
            "a failed request; its outcome stays unknown")]
    public static partial void ReadBackFailed(
        this ILogger logger,
        Exception exception,
        string grainId,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3024,
        Level = LogLevel.Debug,
        Message = "Blob {BlobName} of grain {GrainId} in {StoreKind} storage {ProviderName} was deleted while it was " +
            "read and the entity now points elsewhere; reading again (attempt {Attempt})")]
    public static partial void SpillBlobReplacedDuringRead(
        this ILogger logger,
        string blobName,
        string grainId,
        string storeKind,
        string providerName,
        int attempt);

    [LoggerMessage(
        EventId = 3025,
        Level = LogLevel.Information,
        Message = "Deleted orphan blob {BlobName} (generation {Generation}, entity at generation {EntityGeneration}) " +
            "in {StoreKind} storage {ProviderName}")]
    public static partial void OrphanBlobDeleted(
        this ILogger logger,
        string blobName,
        long generation,
        long entityGeneration,
        string storeKind,
        string providerName);

    [LoggerMessage(
        EventId = 3026,
        Level = LogLevel.Warning,
        Message = "Skipped the blobs of checkpoint {CheckpointName} in {StoreKind} storage {ProviderName} while " +
            "deleting orphans, because its entity cannot be read")]
    public static partial void OrphanSweepSkipped(
        this ILogger logger,
        Exception? exception,
        string checkpointName,
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
