using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Log messages of one-way calls made by immortal grains.</summary>
internal static partial class ImmortalLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug,
        Message = "{GrainId} recorded one-way call {Sequence} to {Target}; the caller does not wait for it")]
    public static partial void OneWayRecorded(this ILogger logger, string grainId, long sequence, string target);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug,
        Message = "One-way call {Sequence} of {GrainId} is stored by {Target} ({Status}); the caller stops sending it")]
    public static partial void OneWayStored(this ILogger logger, string grainId, long sequence, string target, string status);
}
