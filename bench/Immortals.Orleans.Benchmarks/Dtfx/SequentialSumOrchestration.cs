using DurableTask.Core;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// Calls <see cref="IncrementActivity"/> one call after the other, as many times as its input gives, and returns
/// the sum of the results.
/// </summary>
internal sealed class SequentialSumOrchestration : TaskOrchestration<long, int>
{
    /// <inheritdoc />
    public override async Task<long> RunTask(OrchestrationContext context, int input)
    {
        var sum = 0L;
        for (var step = 0; step < input; step++)
        {
            sum += await context.ScheduleTask<int>(typeof(IncrementActivity), step);
        }

        return sum;
    }
}
