using System.Diagnostics.Metrics;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// Sums the plugin's checkpoint instruments in this process: checkpoints written, the serialized bytes the stores
/// wrote, the time from capture to stored write, and the time of the storage write alone.
/// </summary>
internal sealed class CheckpointMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _checkpoints;
    private long _storedBytes;
    private long _storageWrites;
    private long _conflicts;
    private double _checkpointSeconds;
    private double _storageWriteSeconds;

    /// <summary>Starts listening.</summary>
    public CheckpointMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Immortals.Orleans")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    /// <summary>The sums so far.</summary>
    public Totals Read()
    {
        lock (_listener)
        {
            return new Totals(
                _checkpoints,
                _storageWrites,
                _storedBytes,
                _conflicts,
                _checkpointSeconds,
                _storageWriteSeconds);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        lock (_listener)
        {
            switch (instrument.Name)
            {
                case "immortals.checkpoints.written":
                    _checkpoints += value;
                    break;
                case "immortals.checkpoint.writes":
                    _storageWrites += value;
                    break;
                case "immortals.checkpoint.bytes_written":
                    _storedBytes += value;
                    break;
                case "immortals.checkpoint.errors" when HasTag(tags, "error.type", "conflict"):
                    _conflicts += value;
                    break;
            }
        }
    }

    private void OnDouble(
        Instrument instrument,
        double value,
        ReadOnlySpan<KeyValuePair<string, object?>> tags,
        object? state)
    {
        lock (_listener)
        {
            if (instrument.Name == "immortals.checkpoints.duration")
            {
                _checkpointSeconds += value;
                return;
            }

            if (instrument.Name == "immortals.checkpoint.duration" && HasTag(tags, "immortals.storage.operation", "write"))
            {
                _storageWriteSeconds += value;
            }
        }
    }

    private static bool HasTag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, string value)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string == value;
            }
        }

        return false;
    }

    /// <summary>Sums of the instruments.</summary>
    /// <param name="Checkpoints">Checkpoints written by immortal activations.</param>
    /// <param name="StorageWrites">Writes the checkpoint stores completed (checkpoints and wake-up registry).</param>
    /// <param name="StoredBytes">Serialized bytes the stores wrote.</param>
    /// <param name="Conflicts">Store operations rejected because of an ETag conflict.</param>
    /// <param name="CheckpointSeconds">Time from the start of each checkpoint's capture to its stored write.</param>
    /// <param name="StorageWriteSeconds">Time of the store writes alone.</param>
    public readonly record struct Totals(
        long Checkpoints,
        long StorageWrites,
        long StoredBytes,
        long Conflicts,
        double CheckpointSeconds,
        double StorageWriteSeconds)
    {
        /// <summary>The difference of two readings.</summary>
        public static Totals operator -(Totals after, Totals before) => new(
            after.Checkpoints - before.Checkpoints,
            after.StorageWrites - before.StorageWrites,
            after.StoredBytes - before.StoredBytes,
            after.Conflicts - before.Conflicts,
            after.CheckpointSeconds - before.CheckpointSeconds,
            after.StorageWriteSeconds - before.StorageWriteSeconds);
    }
}
