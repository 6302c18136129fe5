using DurableTask.Core;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// Calls <see cref="IncrementActivity"/> all at once, as many times as its input gives, and returns the sum of the
/// results.
/// </summary>
internal sealed class FanOutSumOrchestration : TaskOrchestration<long, int>
{
    /// <inheritdoc />
    public override async Task<long> RunTask(OrchestrationContext context, int input)
    {
        var calls = Enumerable.Range(0, input)
            .Select(step => context.ScheduleTask<int>(typeof(IncrementActivity), step))
            .ToArray();
        var results = await Task.WhenAll(calls);
        return results.Sum(value => (long)value);
    }
}
