using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks;

/// <summary>
/// Times an operation: after a warm-up long enough for tiered compilation to optimize the code, it runs batches
/// sized to take about <c>roundTime</c> each and reports the median time per operation over the rounds, with the
/// bytes allocated per operation on the calling thread.
/// </summary>
internal static class Measurement
{
    /// <summary>Result of one measurement.</summary>
    /// <param name="MedianNanoseconds">Median time per operation, in nanoseconds.</param>
    /// <param name="AllocatedBytes">Bytes allocated per operation, on the calling thread.</param>
    public readonly record struct Result(double MedianNanoseconds, double AllocatedBytes);

    /// <summary>
    /// Measures <paramref name="operation"/> over <paramref name="rounds"/> rounds, after a warm-up of
    /// <paramref name="warmUp"/> (1 s when not set).
    /// </summary>
    public static Result Run(Action operation, int rounds, TimeSpan roundTime, TimeSpan? warmUp = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (warmUp ?? TimeSpan.FromSeconds(1)))
        {
            operation();
        }

        var batch = 1;
        watch.Restart();
        while (watch.Elapsed < roundTime / 10)
        {
            batch *= 2;
            watch.Restart();
            for (var i = 0; i < batch; i++)
            {
                operation();
            }
        }

        // Scale the batch from about a tenth of a round to a whole round.
        batch = Math.Max(1, (int)(batch * roundTime.TotalMilliseconds / Math.Max(watch.Elapsed.TotalMilliseconds, 0.001)));
        var perOperation = new double[rounds];
        long allocated = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            watch.Restart();
            for (var i = 0; i < batch; i++)
            {
                operation();
            }

            perOperation[round] = watch.Elapsed.TotalNanoseconds / batch;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Array.Sort(perOperation);
        return new Result(perOperation[rounds / 2], (double)allocated / batch / rounds);
    }
}
