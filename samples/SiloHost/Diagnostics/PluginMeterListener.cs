using System.Diagnostics.Metrics;

namespace SiloHost.Diagnostics;

/// <summary>
/// Sums the counters of the plugin's meter, <c>Immortals.Orleans</c>, in this process. Any metrics exporter
/// (OpenTelemetry, <c>dotnet-counters</c>) can read the same instruments.
/// </summary>
public sealed class PluginMeterListener : IDisposable
{
    /// <summary>Name of the plugin's meter.</summary>
    public const string MeterName = "Immortals.Orleans";

    private readonly MeterListener _listener = new();
    private long _resends;
    private long _duplicatesDropped;
    private long _restores;
    private long _checkpointsWritten;

    /// <summary>Starts listening to the plugin's counters.</summary>
    public PluginMeterListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>Returns the totals measured so far.</summary>
    public PluginTotals Snapshot() => new()
    {
        Resends = Interlocked.Read(ref _resends),
        DuplicatesDropped = Interlocked.Read(ref _duplicatesDropped),
        Restores = Interlocked.Read(ref _restores),
        CheckpointsWritten = Interlocked.Read(ref _checkpointsWritten),
    };

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Add(string instrument, long value)
    {
        switch (instrument)
        {
            case "immortals.resends":
                Interlocked.Add(ref _resends, value);
                break;
            case "immortals.duplicates.dropped":
                Interlocked.Add(ref _duplicatesDropped, value);
                break;
            case "immortals.restores":
                Interlocked.Add(ref _restores, value);
                break;
            case "immortals.checkpoints.written":
                Interlocked.Add(ref _checkpointsWritten, value);
                break;
        }
    }
}
