using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DurableTask.Core;
using Immortals.Orleans.Benchmarks.Reporting;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// Starts orchestrations through a <see cref="TaskHubClient"/> and measures them from the step log of the worker
/// that runs them. Every run checks that each orchestration completed, that every activity call ran, and that the
/// returned sum equals the sum of the values the activity returned.
/// </summary>
internal sealed class DtfxMeasurements(TaskHubClient client, string stepLogPath, TimeSpan timeout)
{
    private static readonly TimeSpan StepLogPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Interval at which the client reads the state of an orchestration it waits for.</summary>
    public static readonly TimeSpan StatePollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Figures of <see cref="RunSequentialAsync"/>.</summary>
    /// <param name="StepsPerSecond">Activity calls per second, from the first start to the last step.</param>
    /// <param name="Step">Time from one activity execution to the next within an orchestration.</param>
    /// <param name="FirstStep">Time from the client's start request to the orchestration's first activity.</param>
    /// <param name="StartRequest">Duration of the client's start request.</param>
    /// <param name="DuplicateExecutions">Activity executions beyond one per call.</param>
    public readonly record struct SequentialResult(
        double StepsPerSecond,
        LatencySummary Step,
        LatencySummary FirstStep,
        LatencySummary StartRequest,
        int DuplicateExecutions);

    /// <summary>Figures of <see cref="RunFanOutAsync"/>.</summary>
    /// <param name="LastActivityMilliseconds">Time from the start request to the last activity execution.</param>
    /// <param name="CompletedMilliseconds">
    /// Time from the start request until the client read the orchestration as completed (polled every 100 ms).
    /// </param>
    public readonly record struct FanOutResult(double LastActivityMilliseconds, double CompletedMilliseconds);

    /// <summary>
    /// Runs a few small orchestrations, so that the code paths of the worker and client are compiled and the task
    /// hub's queues and tables exist before anything is timed.
    /// </summary>
    public async Task WarmUpAsync()
    {
        await RunSequentialAsync(1, 10);
        await RunSequentialAsync(10, 3);
        await RunFanOutAsync(20);
    }

    /// <summary>
    /// Leaves the worker without work for <paramref name="idle"/>, then runs one orchestration of 3 steps.
    /// </summary>
    public async Task<SequentialResult> RunAfterIdleAsync(TimeSpan idle)
    {
        await Task.Delay(idle);
        return await RunSequentialAsync(1, 3);
    }

    /// <summary>
    /// Starts <paramref name="orchestrations"/> instances of <see cref="SequentialSumOrchestration"/> at once, each
    /// making <paramref name="steps"/> activity calls, and waits for all of them.
    /// </summary>
    public async Task<SequentialResult> RunSequentialAsync(int orchestrations, int steps)
    {
        var ids = Enumerable.Range(0, orchestrations).Select(_ => $"seq-{Guid.NewGuid():N}").ToArray();
        var starts = new ConcurrentDictionary<string, long>();
        var startRequests = new ConcurrentBag<double>();
        await Task.WhenAll(ids.Select(async id =>
        {
            var start = Stopwatch.GetTimestamp();
            starts[id] = start;
            await client.CreateOrchestrationInstanceAsync(typeof(SequentialSumOrchestration), id, steps);
            startRequests.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }));

        var records = await WaitForStepsAsync(ids, orchestrations * steps);
        var stepLatencies = new List<double>();
        var firstSteps = new List<double>();
        var duplicates = 0;
        foreach (var id in ids)
        {
            var own = records.Where(record => record.InstanceId == id).ToArray();
            var executions = await VerifyCompletedAsync(id, own, steps);
            duplicates += own.Length - executions.Length;

            firstSteps.Add(LatencySummary.ToMilliseconds(executions[0].Timestamp - starts[id]));
            for (var step = 1; step < executions.Length; step++)
            {
                var ticks = executions[step].Timestamp - executions[step - 1].Timestamp;
                stepLatencies.Add(LatencySummary.ToMilliseconds(ticks));
            }
        }

        var elapsed = LatencySummary.ToMilliseconds(records.Max(record => record.Timestamp) - starts.Values.Min()) / 1000;
        return new SequentialResult(
            orchestrations * steps / elapsed,
            LatencySummary.Of(stepLatencies),
            LatencySummary.Of(firstSteps),
            LatencySummary.Of(startRequests),
            duplicates);
    }

    /// <summary>Runs one <see cref="FanOutSumOrchestration"/> with <paramref name="activities"/> parallel calls.</summary>
    public async Task<FanOutResult> RunFanOutAsync(int activities)
    {
        var id = $"fan-{Guid.NewGuid():N}";
        var start = Stopwatch.GetTimestamp();
        await client.CreateOrchestrationInstanceAsync(typeof(FanOutSumOrchestration), id, activities);
        await WaitForCompletionAsync(id, start);
        var completed = Stopwatch.GetTimestamp();

        var own = StepLog.Read(stepLogPath).Where(record => record.InstanceId == id).ToArray();
        await VerifyCompletedAsync(id, own, activities);
        return new FanOutResult(
            LatencySummary.ToMilliseconds(own.Max(record => record.Timestamp) - start),
            LatencySummary.ToMilliseconds(completed - start));
    }

    /// <summary>
    /// Waits until the step log has <paramref name="expected"/> executions of the given instances, and returns
    /// every execution of them.
    /// </summary>
    public async Task<StepRecord[]> WaitForStepsAsync(IReadOnlyCollection<string> ids, int expected)
    {
        var wanted = ids.ToHashSet();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var records = StepLog.Read(stepLogPath).Where(record => wanted.Contains(record.InstanceId)).ToArray();
            if (records.Length >= expected)
            {
                return records;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Only {records.Length} of {expected} activity executions were logged in {stepLogPath} "
                    + $"within {timeout}.");
            }

            await Task.Delay(StepLogPollInterval);
        }
    }

    /// <summary>Waits until the orchestration <paramref name="id"/> is in a terminal state.</summary>
    public async Task<OrchestrationState> WaitForCompletionAsync(string id, long startTimestamp)
    {
        var instance = new OrchestrationInstance { InstanceId = id };
        while (true)
        {
            var state = await client.GetOrchestrationStateAsync(instance);
            if (state?.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed
                or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled)
            {
                return state;
            }

            if (Stopwatch.GetElapsedTime(startTimestamp) > timeout)
            {
                throw new TimeoutException(
                    $"Orchestration {id} is {state?.OrchestrationStatus.ToString() ?? "not found"} after {timeout}.");
            }

            await Task.Delay(StatePollInterval);
        }
    }

    /// <summary>
    /// Checks that the orchestration completed with every one of its <paramref name="steps"/> calls executed, and,
    /// where no call ran twice, that its result is the sum of the logged values. Returns the first execution of
    /// each call, in call order.
    /// </summary>
    public async Task<StepRecord[]> VerifyCompletedAsync(string id, StepRecord[] own, int steps)
    {
        var state = await WaitForCompletionAsync(id, Stopwatch.GetTimestamp());
        if (state.OrchestrationStatus != OrchestrationStatus.Completed)
        {
            throw new InvalidOperationException(
                $"Orchestration {id} ended as {state.OrchestrationStatus}: {state.Output}");
        }

        var executions = own.GroupBy(record => record.Step)
            .Select(group => group.MinBy(record => record.Timestamp))
            .OrderBy(record => record.Step)
            .ToArray();
        if (executions.Length != steps || executions[0].Step != 0 || executions[^1].Step != steps - 1)
        {
            throw new InvalidOperationException(
                $"Orchestration {id} completed but {executions.Length} of its {steps} activity calls were logged.");
        }

        var output = long.Parse(state.Output, CultureInfo.InvariantCulture);
        var logged = own.Sum(record => (long)record.Value);
        if (own.Length == steps && output != logged)
        {
            throw new InvalidOperationException(
                $"Orchestration {id} returned {output}, but its activities returned values that sum to {logged}.");
        }

        return executions;
    }
}
