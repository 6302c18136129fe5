using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Immortals.Orleans.Benchmarks.Reporting;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// Recovery after a worker crash: a worker process runs orchestrations, is killed with SIGKILL mid-run, and a new
/// worker process with its own worker id takes over. Measures the time from the kill to the first activity the new
/// worker runs, and until every orchestration has completed.
/// </summary>
internal static class DtfxRecovery
{
    /// <summary>Figures of one recovery run.</summary>
    /// <param name="NewWorkerReadyMilliseconds">From the kill until the new worker process had started.</param>
    /// <param name="FirstResumedStepMilliseconds">From the kill to the first activity the new worker ran.</param>
    /// <param name="LastResumedMilliseconds">
    /// From the kill until the new worker had run an activity of every orchestration that was still running.
    /// </param>
    /// <param name="AllCompletedMilliseconds">From the kill until the client read every orchestration as completed.</param>
    /// <param name="StepsBeforeKill">Activity executions logged by the killed worker.</param>
    /// <param name="DuplicateExecutions">Activity executions beyond one per call, over both workers.</param>
    public readonly record struct Result(
        double NewWorkerReadyMilliseconds,
        double FirstResumedStepMilliseconds,
        double LastResumedMilliseconds,
        double AllCompletedMilliseconds,
        int StepsBeforeKill,
        int DuplicateExecutions);

    /// <summary>
    /// Runs <paramref name="orchestrations"/> sequential orchestrations of <paramref name="steps"/> calls each and
    /// kills their worker once <paramref name="stepsBeforeKill"/> calls have run.
    /// </summary>
    public static async Task<Result> RunAsync(
        string connectionString,
        DtfxProfile profile,
        string folder,
        int orchestrations,
        int steps,
        int stepsBeforeKill,
        TimeSpan timeout)
    {
        var taskHub = DtfxDeployment.NewTaskHubName(profile);
        var firstLog = Path.Combine(folder, $"{taskHub}-first-steps.log");
        var secondLog = Path.Combine(folder, $"{taskHub}-second-steps.log");
        var clientService = new AzureStorageOrchestrationService(
            profile.CreateSettings(connectionString, taskHub, $"client-{Guid.NewGuid():N}"));
        var client = new TaskHubClient(clientService);

        DtfxWorkerProcess? second = null;
        var first = await DtfxWorkerProcess.StartAsync(
            connectionString, taskHub, profile, $"worker-{Guid.NewGuid():N}", firstLog);
        try
        {
            var firstMeasurements = new DtfxMeasurements(client, firstLog, timeout);
            await firstMeasurements.WarmUpAsync();

            var ids = Enumerable.Range(0, orchestrations).Select(_ => $"rec-{Guid.NewGuid():N}").ToArray();
            await Task.WhenAll(ids.Select(id =>
                client.CreateOrchestrationInstanceAsync(typeof(SequentialSumOrchestration), id, steps)));
            await firstMeasurements.WaitForStepsAsync(ids, stepsBeforeKill);

            await first.KillAsync();
            var killed = Stopwatch.GetTimestamp();
            var beforeKill = StepLog.Read(firstLog).Count(record => ids.Contains(record.InstanceId));

            second = await DtfxWorkerProcess.StartAsync(
                connectionString, taskHub, profile, $"worker-{Guid.NewGuid():N}", secondLog);
            var secondMeasurements = new DtfxMeasurements(client, secondLog, timeout);
            var resumed = await secondMeasurements.WaitForStepsAsync(ids, 1);

            foreach (var id in ids)
            {
                await secondMeasurements.WaitForCompletionAsync(id, killed);
            }

            var allCompleted = Stopwatch.GetTimestamp();
            var afterKill = StepLog.Read(secondLog).Where(record => ids.Contains(record.InstanceId)).ToArray();
            // An orchestration that finished before the kill has no step after it.
            var lastResumed = afterKill.GroupBy(record => record.InstanceId)
                .Max(group => group.Min(record => record.Timestamp));
            var all = StepLog.Read(firstLog).Concat(afterKill).ToArray();
            var duplicates = 0;
            foreach (var id in ids)
            {
                var own = all.Where(record => record.InstanceId == id).ToArray();
                var executions = await secondMeasurements.VerifyCompletedAsync(id, own, steps);
                duplicates += own.Length - executions.Length;
            }

            return new Result(
                LatencySummary.ToMilliseconds(second.ReadyTimestamp - killed),
                LatencySummary.ToMilliseconds(resumed.Min(record => record.Timestamp) - killed),
                LatencySummary.ToMilliseconds(lastResumed - killed),
                LatencySummary.ToMilliseconds(allCompleted - killed),
                beforeKill,
                duplicates);
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            await clientService.DeleteAsync();
        }
    }
}
