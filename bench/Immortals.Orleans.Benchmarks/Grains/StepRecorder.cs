using System.Collections.Concurrent;
using System.Diagnostics;
using Immortals.Orleans.Benchmarks.Dtfx;

namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>
/// Where the benchmark grains record each executed step: in memory when the silo runs in the benchmark process, or
/// in a <see cref="StepLog"/> file when it runs in a silo process of its own.
/// </summary>
public sealed class StepRecorder : IDisposable
{
    private readonly ConcurrentQueue<StepRecord> _records = new();
    private readonly StepLog? _log;

    /// <summary>Records in memory, or in the step log at <paramref name="logPath"/> when it is set.</summary>
    public StepRecorder(string? logPath = null)
    {
        _log = logPath is null ? null : new StepLog(logPath);
    }

    /// <summary>Records that <paramref name="key"/> executed <paramref name="step"/> now.</summary>
    public void Record(string key, int step, int value)
    {
        if (_log is not null)
        {
            _log.Record(key, step, value);
            return;
        }

        _records.Enqueue(new StepRecord(Stopwatch.GetTimestamp(), key, step, value));
    }

    /// <summary>Returns the records kept in memory so far.</summary>
    internal IReadOnlyList<StepRecord> Snapshot() => _records.ToArray();

    /// <summary>Forgets the records kept in memory.</summary>
    public void Clear() => _records.Clear();

    /// <inheritdoc />
    public void Dispose() => _log?.Dispose();
}
