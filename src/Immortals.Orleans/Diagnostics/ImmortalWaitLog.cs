using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Log messages of durable delays and signals.</summary>
internal static partial class ImmortalWaitLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug,
        Message = "{GrainId} waits for a delay until {DueTime:o} (leaf {LeafId})")]
    public static partial void DelayStarted(this ILogger logger, string grainId, long leafId, DateTimeOffset dueTime);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug,
        Message = "Delay {LeafId} of {GrainId} is due at {DueTime:o} and fired at {FiredAt:o}")]
    public static partial void DelayFired(
        this ILogger logger, string grainId, long leafId, DateTimeOffset dueTime, DateTimeOffset firedAt);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Debug,
        Message = "Armed {Count} stored delays of {GrainId} after recovery; the earliest is due at {DueTime:o}")]
    public static partial void DelaysArmed(this ILogger logger, string grainId, int count, DateTimeOffset dueTime);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Debug,
        Message = "{GrainId} waits for signal '{SignalId}' (leaf {LeafId})")]
    public static partial void SignalWaitStarted(this ILogger logger, string grainId, string signalId, long leafId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information,
        Message = "Stored signal '{SignalId}' of {GrainId}")]
    public static partial void SignalStored(this ILogger logger, string grainId, string signalId);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Debug,
        Message = "Signal '{SignalId}' of {GrainId} was delivered again with the stored value")]
    public static partial void SignalRepeated(this ILogger logger, string grainId, string signalId);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning,
        Message = "Rejected signal '{SignalId}' of {GrainId}: another value is stored under this id")]
    public static partial void SignalConflict(this ILogger logger, string grainId, string signalId);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Debug,
        Message = "Signal '{SignalId}' of {GrainId} expired and was removed")]
    public static partial void SignalExpired(this ILogger logger, string grainId, string signalId);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Debug,
        Message = "Signal '{SignalId}' of {GrainId} is stored and resumes {Waits} waiting methods")]
    public static partial void SignalReceived(this ILogger logger, string grainId, string signalId, int waits);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Debug,
        Message = "Dropped wait {LeafId} of {GrainId}: no suspended method awaits it")]
    public static partial void WaitDropped(this ILogger logger, string grainId, long leafId);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Debug,
        Message = "Wait {LeafId} of {GrainId} was canceled with its method's request")]
    public static partial void WaitCanceled(this ILogger logger, string grainId, long leafId);
}
