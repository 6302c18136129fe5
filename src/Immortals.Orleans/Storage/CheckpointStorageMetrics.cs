using System.Diagnostics;
using System.Diagnostics.Metrics;
using Immortals.Orleans.Diagnostics;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Instruments of the checkpoint stores: operations, bytes, errors and latency, tagged with the store kind, the
/// provider name and the operation (<c>read</c>, <c>write</c> or <c>clear</c>).
/// </summary>
internal static class CheckpointStorageMetrics
{
    public const string KindTag = "immortals.storage.kind";
    public const string ProviderTag = "immortals.storage.provider";
    public const string OperationTag = "immortals.storage.operation";
    public const string ErrorTypeTag = "error.type";

    public static readonly Counter<long> Reads = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.reads",
        unit: "{checkpoint}",
        description: "Checkpoint reads that completed, found or not found.");

    public static readonly Counter<long> Writes = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.writes",
        unit: "{checkpoint}",
        description: "Checkpoint writes that completed.");

    public static readonly Counter<long> Clears = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.clears",
        unit: "{checkpoint}",
        description: "Checkpoint clears that completed.");

    public static readonly Counter<long> BytesRead = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.bytes_read",
        unit: "By",
        description: "Serialized grain state bytes read from checkpoint stores.");

    public static readonly Counter<long> BytesWritten = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.bytes_written",
        unit: "By",
        description: "Serialized grain state bytes written to checkpoint stores.");

    public static readonly Counter<long> Errors = ImmortalsInstrumentation.Meter.CreateCounter<long>(
        "immortals.checkpoint.errors",
        unit: "{error}",
        description: "Failed checkpoint operations, tagged with error.type: conflict, corrupt or failure.");

    public static readonly Histogram<double> Duration = ImmortalsInstrumentation.Meter.CreateHistogram<double>(
        "immortals.checkpoint.duration",
        unit: "s",
        description: "Duration of checkpoint operations, successful or not.");

    public static TagList CreateTags(string kind, string provider, string operation) => new()
    {
        { KindTag, kind },
        { ProviderTag, provider },
        { OperationTag, operation },
    };
}
