using Immortals.Orleans.Benchmarks.Reporting;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// The time of the steps of one sequential workflow, split into the time its storage write requests took and the
/// time outside them: capture, serialization, the Orleans message hops of the call and its result, and scheduling.
/// </summary>
/// <param name="HttpWrite">Latency of each write request made during the steps.</param>
/// <param name="InsideWrites">Per step, the time covered by write requests.</param>
/// <param name="OutsideWrites">Per step, the time not covered by any write request.</param>
internal readonly record struct StepTimeSplit(
    LatencySummary HttpWrite,
    LatencySummary InsideWrites,
    LatencySummary OutsideWrites)
{
    /// <summary>
    /// Splits the steps between consecutive <paramref name="stepTimestamps"/> by the write request
    /// <paramref name="writeSpans"/>. All values are <see cref="System.Diagnostics.Stopwatch"/> timestamps.
    /// </summary>
    public static StepTimeSplit Of(
        IReadOnlyList<long> stepTimestamps,
        IReadOnlyList<(long Started, long Ended)> writeSpans)
    {
        var inside = new List<double>();
        var outside = new List<double>();
        var requests = new List<double>();
        for (var i = 1; i < stepTimestamps.Count; i++)
        {
            var (from, to) = (stepTimestamps[i - 1], stepTimestamps[i]);
            var covered = Covered(writeSpans, from, to);
            inside.Add(LatencySummary.ToMilliseconds(covered));
            outside.Add(LatencySummary.ToMilliseconds(to - from - covered));
            requests.AddRange(writeSpans
                .Where(span => span.Started >= from && span.Ended <= to)
                .Select(span => LatencySummary.ToMilliseconds(span.Ended - span.Started)));
        }

        return new StepTimeSplit(LatencySummary.Of(requests), LatencySummary.Of(inside), LatencySummary.Of(outside));
    }

    // Returns the ticks of [from, to] that at least one span covers, counting overlapping spans once.
    private static long Covered(IReadOnlyList<(long Started, long Ended)> spans, long from, long to)
    {
        var clipped = spans
            .Select(span => (Started: Math.Max(span.Started, from), Ended: Math.Min(span.Ended, to)))
            .Where(span => span.Ended > span.Started)
            .OrderBy(span => span.Started);
        long covered = 0;
        var reached = from;
        foreach (var (started, ended) in clipped)
        {
            var start = Math.Max(started, reached);
            if (ended > start)
            {
                covered += ended - start;
                reached = ended;
            }
        }

        return covered;
    }
}
