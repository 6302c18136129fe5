using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks.Reporting;

/// <summary>Count and percentiles of a set of latencies, in milliseconds.</summary>
/// <param name="Count">Number of samples.</param>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile (nearest rank).</param>
/// <param name="Max">Largest sample.</param>
internal readonly record struct LatencySummary(int Count, double P50, double P99, double Max)
{
    /// <summary>Summarizes <paramref name="milliseconds"/>; an empty set gives zeros.</summary>
    public static LatencySummary Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return default;
        }

        return new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    /// <summary>Converts a difference of <see cref="Stopwatch.GetTimestamp"/> values to milliseconds.</summary>
    public static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
