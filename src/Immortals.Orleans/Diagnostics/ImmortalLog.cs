using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Log messages of the immortal grain runtime.</summary>
internal static partial class ImmortalLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug,
        Message = "Wrote checkpoint of {GrainId}: {Bytes} bytes, next sequence {NextSequence}, {Roots} roots, {Calls} calls")]
    public static partial void CheckpointWritten(
        this ILogger logger, string grainId, int bytes, long nextSequence, int roots, int calls);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Checkpoint write of {GrainId} failed (attempt {Attempt}); retrying in {Delay} with outputs held")]
    public static partial void CheckpointRetry(
        this ILogger logger, string grainId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Activation of {GrainId} is stale: another activation wrote its checkpoint. It closes without "
            + "releasing held outputs")]
    public static partial void StaleActivation(this ILogger logger, string grainId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Checkpoint write of {GrainId} reported a conflict, but the stored record carries this write's id: "
            + "the write succeeded")]
    public static partial void AmbiguousWriteSucceeded(this ILogger logger, string grainId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "Recovered {GrainId} (incarnation {Incarnation}): {Roots} roots, {Calls} calls, {Outbox} results owed")]
    public static partial void Restored(
        this ILogger logger, string grainId, Guid incarnation, int roots, int calls, int outbox);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error,
        Message = "Recovery of {GrainId} failed; the activation fails and a later call or probe retries")]
    public static partial void RecoveryFailed(this ILogger logger, string grainId, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug,
        Message = "Sending call {Sequence} of {GrainId} to {Target} again")]
    public static partial void CallResent(this ILogger logger, string grainId, long sequence, string target);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug,
        Message = "Dropped duplicate delivery of call {Sequence} from {Caller} to {GrainId}: {Status}")]
    public static partial void DuplicateDropped(
        this ILogger logger, string grainId, string caller, long sequence, string status);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning,
        Message = "Delivery of call {Sequence} from {GrainId} to {Target} failed; it is sent again later")]
    public static partial void DeliveryFailed(
        this ILogger logger, string grainId, long sequence, string target, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning,
        Message = "Result of call {Sequence} from {Caller} could not be sent by {GrainId}; it is sent again later")]
    public static partial void ResultPushFailed(
        this ILogger logger, string grainId, string caller, long sequence, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Error,
        Message = "Cannot checkpoint root {RootId} ({Method}) of {GrainId}; the root fails with the capture error")]
    public static partial void CaptureFailed(
        this ILogger logger, string grainId, long rootId, string method, Exception exception);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning,
        Message = "Acknowledgement from {GrainId} to {Target} failed; it is repeated with the next delivery or push")]
    public static partial void AcknowledgeFailed(this ILogger logger, string grainId, string target, Exception exception);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning,
        Message = "Registration of {GrainId} in the wake-up registry failed (attempt {Attempt})")]
    public static partial void RegistrationFailed(this ILogger logger, string grainId, int attempt, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information,
        Message = "Scanning the wake-up registry ({Reason}): {Count} grains")]
    public static partial void WakeScan(this ILogger logger, string reason, int count);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning,
        Message = "Wake-up of {GrainId} failed; the next scan retries")]
    public static partial void WakeFailed(this ILogger logger, string grainId, Exception exception);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Debug,
        Message = "{GrainId} received a result for call {Sequence} from {Callee} that it no longer waits for: {Status}")]
    public static partial void UnexpectedResult(
        this ILogger logger, string grainId, long sequence, string callee, string status);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Information,
        Message = "Deactivating {GrainId} with {Roots} running methods ({Reason}); they resume from the last checkpoint")]
    public static partial void DeactivatingWithRoots(this ILogger logger, string grainId, int roots, string reason);

    [LoggerMessage(EventId = 4017, Level = LogLevel.Warning,
        Message = "Result of {Method} on {GrainId} cannot be serialized; its caller receives the serialization error")]
    public static partial void UnserializableOutcome(
        this ILogger logger, string grainId, string method, Exception exception);

    [LoggerMessage(EventId = 4018, Level = LogLevel.Warning,
        Message = "Sweep of the wake-up registry shard {Shard} failed")]
    public static partial void SweepFailed(this ILogger logger, int shard, Exception exception);

    [LoggerMessage(EventId = 4019, Level = LogLevel.Warning,
        Message = "Background work of {GrainId} failed")]
    public static partial void BackgroundFailed(this ILogger logger, string grainId, Exception exception);

    [LoggerMessage(EventId = 4300, Level = LogLevel.Information,
        Message = "Cancellation of request {RequestId} (root {RootId}, {Method}) on {GrainId} requested")]
    public static partial void CancelRequested(
        this ILogger logger, string grainId, string requestId, long rootId, string method);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information,
        Message = "Cancellation of request {RequestId} on {GrainId} ignored: the request is {State}")]
    public static partial void CancelIgnored(this ILogger logger, string grainId, string requestId, string state);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information,
        Message = "Rejected request {RequestId} on {GrainId} for {Method}: its result expired")]
    public static partial void RequestExpired(this ILogger logger, string grainId, string requestId, string method);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Debug,
        Message = "{GrainId} dropped {Expired} expired request results and forgot {Forgotten} expired request ids; "
            + "{Kept} expired ids kept")]
    public static partial void RequestIdsExpired(
        this ILogger logger, string grainId, int expired, int forgotten, int kept);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Error,
        Message = "A cancellation callback of request {RequestId} on {GrainId} threw")]
    public static partial void CancelCallbackFailed(
        this ILogger logger, string grainId, string requestId, Exception exception);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information,
        Message = "Rebuilt root {RootId} of {GrainId} resumes with its cancellation requested")]
    public static partial void RestoredCanceled(this ILogger logger, string grainId, long rootId);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Information,
        Message = "Cancellation of request {RequestId} on {GrainId} stored before the request arrived")]
    public static partial void CancelStoredAhead(this ILogger logger, string grainId, string requestId);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Warning,
        Message = "Cancellation of request {RequestId} on {GrainId} not stored: a method cannot be checkpointed at "
            + "its current await")]
    public static partial void CancelDeferred(
        this ILogger logger, string grainId, string requestId, Exception exception);

    [LoggerMessage(EventId = 4600, Level = LogLevel.Debug,
        Message = "Prepared recovery: {Layouts} async method layouts and one rebuild in {Milliseconds} ms")]
    public static partial void RecoveryWarmedUp(this ILogger logger, int layouts, double milliseconds);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Debug,
        Message = "Preparing recovery at silo start failed; recoveries prepare on demand")]
    public static partial void RecoveryWarmUpFailed(this ILogger logger, Exception exception);
}
