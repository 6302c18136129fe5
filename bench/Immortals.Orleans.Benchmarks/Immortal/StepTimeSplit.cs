using Immortals.Orleans.Benchmarks.Reporting;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// The time of the steps of one sequential workflow, split into the time its storage write requests took and the
/// time outside them: capture, serialization, the Orleans message hops of the call and its result, and scheduling.
/// </summary>
/// <param name="HttpWrite">Latency of each write request made during the steps.</param>
/// <param name="InsideWrites">Per step, the time covered by write requests.</param>
/// <param name="OutsideWrites">Per step, the time not covered by any write request.</param>
/// <param name="Gaps">
/// The three gaps outside the write requests of the steps that made exactly two: the callee's and then the
/// caller's. They run from the callee's step to its write request, from the end of that request to the caller's
/// write request, and from the end of the caller's request to the callee's next step.
/// </param>
internal readonly record struct StepTimeSplit(
    LatencySummary HttpWrite,
    LatencySummary InsideWrites,
    LatencySummary OutsideWrites,
    (LatencySummary ToCalleeWrite, LatencySummary ToCallerWrite, LatencySummary ToNextStep) Gaps)
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
        var (toCalleeWrite, toCallerWrite, toNextStep) = (new List<double>(), new List<double>(), new List<double>());
        for (var i = 1; i < stepTimestamps.Count; i++)
        {
            var (from, to) = (stepTimestamps[i - 1], stepTimestamps[i]);
            var covered = Covered(writeSpans, from, to);
            inside.Add(LatencySummary.ToMilliseconds(covered));
            outside.Add(LatencySummary.ToMilliseconds(to - from - covered));
            var within = writeSpans
                .Where(span => span.Started >= from && span.Ended <= to)
                .OrderBy(span => span.Started)
                .ToArray();
            requests.AddRange(within.Select(span => LatencySummary.ToMilliseconds(span.Ended - span.Started)));
            if (within.Length == 2)
            {
                toCalleeWrite.Add(LatencySummary.ToMilliseconds(within[0].Started - from));
                toCallerWrite.Add(LatencySummary.ToMilliseconds(within[1].Started - within[0].Ended));
                toNextStep.Add(LatencySummary.ToMilliseconds(to - within[1].Ended));
            }
        }

        return new StepTimeSplit(
            LatencySummary.Of(requests),
            LatencySummary.Of(inside),
            LatencySummary.Of(outside),
            (LatencySummary.Of(toCalleeWrite), LatencySummary.Of(toCallerWrite), LatencySummary.Of(toNextStep)));
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
