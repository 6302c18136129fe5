using System.Diagnostics;
using System.Globalization;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// A file with one line per activity execution: the <see cref="Stopwatch.GetTimestamp"/> value, the orchestration
/// instance id, the step index and the value returned. On Linux the timestamp is CLOCK_MONOTONIC, which is
/// system-wide, so lines written by a worker process compare with timestamps taken in the benchmark process.
/// </summary>
internal sealed class StepLog : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Creates or appends to the log at <paramref name="path"/>.</summary>
    public StepLog(string path)
    {
        Path = path;
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>Path of the log file.</summary>
    public string Path { get; }

    /// <summary>Appends one executed step; each line is flushed so that other processes can read it at once.</summary>
    public void Record(string instanceId, int step, int value)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{Stopwatch.GetTimestamp()} {instanceId} {step} {value}");
        lock (_writer)
        {
            _writer.WriteLine(line);
        }
    }

    /// <summary>Reads the complete lines of the log at <paramref name="path"/>; a missing file has none.</summary>
    public static IReadOnlyList<StepRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // A line still being written has no newline yet: skip it.
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return complete
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(StepRecord.Parse)
            .ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
