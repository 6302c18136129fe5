using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>Polls a condition on step logs until it holds, with a bound.</summary>
internal static class StepWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="done"/> returns true, or throws a <see cref="TimeoutException"/>.</summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(PollInterval);
        }
    }
}
