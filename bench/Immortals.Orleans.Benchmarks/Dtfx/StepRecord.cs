using System.Globalization;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>One executed activity, as written to a <see cref="StepLog"/>.</summary>
/// <param name="Timestamp">Stopwatch timestamp of the execution.</param>
/// <param name="InstanceId">Orchestration instance that scheduled the activity.</param>
/// <param name="Step">Index of the activity call within the orchestration.</param>
/// <param name="Value">Counter value the activity returned.</param>
internal readonly record struct StepRecord(long Timestamp, string InstanceId, int Step, int Value)
{
    /// <summary>Parses a line written by <see cref="StepLog.Record"/>.</summary>
    public static StepRecord Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 4)
        {
            throw new FormatException($"Invalid step log line '{line}': expected 4 space-separated fields.");
        }

        return new StepRecord(
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            parts[1],
            int.Parse(parts[2], CultureInfo.InvariantCulture),
            int.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
