using System.Diagnostics.Metrics;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Instruments of the wake-up registry on the plugin's meter.</summary>
internal static class RegistryMetrics
{
    /// <summary>Shard records written by registrations; one write carries every entry waiting for that shard.</summary>
    public static readonly Counter<long> ShardWrites =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.shard_writes", "{write}");

    /// <summary>Registry entries stored by successful shard writes.</summary>
    public static readonly Counter<long> EntriesWritten =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.entries_written", "{entry}");

    /// <summary>Registrations satisfied by a shard read that already listed the grain, without a write.</summary>
    public static readonly Counter<long> EntriesFound =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.entries_found", "{entry}");

    /// <summary>Registration writes rejected because another silo or the sweep wrote the shard first.</summary>
    public static readonly Counter<long> Conflicts =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.conflicts", "{write}");

    /// <summary>Grains woken by registry sweeps.</summary>
    public static readonly Counter<long> Wakes =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.wakes", "{grain}");

    /// <summary>Wake-up calls of registry sweeps that failed; the sweep calls the grain again.</summary>
    public static readonly Counter<long> WakeFailures =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.wake_failures", "{call}");

    /// <summary>Entries removed by registry sweeps.</summary>
    public static readonly Counter<long> EntriesRemoved =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.registry.entries_removed", "{entry}");
}
