using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Log messages of one-way calls and of captures over task combinators.</summary>
internal static partial class ImmortalLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug,
        Message = "{GrainId} recorded one-way call {Sequence} to {Target}; the caller does not wait for it")]
    public static partial void OneWayRecorded(this ILogger logger, string grainId, long sequence, string target);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug,
        Message = "One-way call {Sequence} of {GrainId} is stored by {Target} ({Status}); the caller stops sending it")]
    public static partial void OneWayStored(this ILogger logger, string grainId, long sequence, string target, string status);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug,
        Message = "Capture of {GrainId} deferred ({Attempt} in a row) because the inputs of a task combinator in "
            + "{Method} are completing; retrying after queued continuations: {Reason}")]
    public static partial void CaptureDeferred(this ILogger logger, string grainId, int attempt, string method, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "One-way call {Sequence} of {GrainId} to ordinary grain {Target} was not delivered; it is sent again")]
    public static partial void OneWayDeliveryFailed(
        this ILogger logger, string grainId, long sequence, string target, Exception exception);
}
