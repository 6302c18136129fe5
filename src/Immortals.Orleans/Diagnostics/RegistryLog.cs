using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Log messages of the wake-up registry's shard writes and sweeps.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Warning,
        Message = "Write of wake-up registry shard {Shard} with {Count} entries failed (attempt {Attempt})")]
    public static partial void ShardWriteFailed(
        this ILogger logger, int shard, int count, int attempt, Exception exception);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug,
        Message = "Wrote wake-up registry shard {Shard}: {Written} entries stored, {Found} already listed")]
    public static partial void ShardWritten(this ILogger logger, int shard, int written, int found);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning,
        Message = "Registration of {GrainId} in wake-up registry shard {Shard} gave up after {Attempts} attempts")]
    public static partial void RegistrationGaveUp(this ILogger logger, string grainId, int shard, int attempts);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information,
        Message = "Swept wake-up registry shard {Shard}: {Woken} grains woken, {Removed} entries removed")]
    public static partial void ShardSwept(this ILogger logger, int shard, int woken, int removed);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Debug,
        Message = "Sweep of wake-up registry shard {Shard} kept its entries: the shard was written while it ran")]
    public static partial void SweepRemovalConflict(this ILogger logger, int shard);
}
