using System.Diagnostics.Metrics;

namespace Immortals.Orleans.Diagnostics;

/// <summary>Instruments of the immortal grain runtime on the plugin's meter.</summary>
internal static class ImmortalMetrics
{
    /// <summary>Checkpoints written by immortal grains, fence writes of recoveries included.</summary>
    public static readonly Counter<long> CheckpointsWritten =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.checkpoints.written", "{checkpoint}");

    /// <summary>Bytes of the checkpoint records written, before the store's own encoding.</summary>
    public static readonly Counter<long> CheckpointBytes =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.checkpoints.bytes", "By");

    /// <summary>Time from the start of a checkpoint's capture to the end of its write.</summary>
    public static readonly Histogram<double> CheckpointLatency =
        ImmortalsInstrumentation.Meter.CreateHistogram<double>("immortals.checkpoints.duration", "s");

    /// <summary>Activations recovered from a checkpoint.</summary>
    public static readonly Counter<long> Restores =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.restores", "{activation}");

    /// <summary>Calls and results sent again after a failure or a timeout.</summary>
    public static readonly Counter<long> Resends =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.resends", "{message}");

    /// <summary>Deliveries recognized as duplicates and not run again.</summary>
    public static readonly Counter<long> DuplicatesDropped =
        ImmortalsInstrumentation.Meter.CreateCounter<long>("immortals.duplicates.dropped", "{message}");
}
