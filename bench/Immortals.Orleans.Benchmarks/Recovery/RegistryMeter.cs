using System.Diagnostics.Metrics;
using System.Globalization;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// Sums the plugin's wake-up registry instruments and checkpoint store reads in this process, so a silo can report
/// the registry writes, conflicts and wake-ups of its share of a run.
/// </summary>
internal sealed class RegistryMeter : IDisposable
{
    /// <summary>Start of the line a silo writes with the totals.</summary>
    public const string LinePrefix = "registry ";

    private static readonly string[] Names =
    [
        "immortals.registry.shard_writes",
        "immortals.registry.entries_written",
        "immortals.registry.entries_found",
        "immortals.registry.conflicts",
        "immortals.registry.wakes",
        "immortals.registry.wake_failures",
        "immortals.registry.entries_removed",
        "immortals.checkpoint.reads",
    ];

    private readonly MeterListener _listener = new();
    private readonly long[] _sums = new long[Names.Length];

    /// <summary>Starts listening.</summary>
    public RegistryMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Immortals.Orleans" && Array.IndexOf(Names, instrument.Name) >= 0)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref _sums[Array.IndexOf(Names, instrument.Name)], value));
        _listener.Start();
    }

    /// <summary>
    /// Formats the totals as one line: <see cref="LinePrefix"/> and the sums in the order of the instruments.
    /// </summary>
    public string Describe() =>
        LinePrefix + string.Join(' ', Enumerable.Range(0, _sums.Length)
            .Select(index => Interlocked.Read(ref _sums[index]).ToString(CultureInfo.InvariantCulture)));

    /// <summary>Parses a line written by <see cref="Describe"/>.</summary>
    public static RegistryTotals Parse(string line)
    {
        var parts = line[LinePrefix.Length..].Split(' ')
            .Select(part => long.Parse(part, CultureInfo.InvariantCulture))
            .ToArray();
        return new RegistryTotals(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]);
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
