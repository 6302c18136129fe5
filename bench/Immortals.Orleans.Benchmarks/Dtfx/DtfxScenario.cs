using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// The Durable Task Framework (DurableTask.Core 3.11.3, DurableTask.AzureStorage 2.11.3) on a private Azurite.
/// Measures orchestrations of sequential activity calls, a fan-out, and recovery after a worker is killed. Each
/// runs with the package defaults and with tuned settings, and with the client in the worker's process and in
/// another process.
/// </summary>
internal sealed class DtfxScenario : IBenchmarkScenario
{
    private const int FanOutActivities = 100;
    private const int Concurrent = 50;

    /// <inheritdoc />
    public string Name => "dtfx";

    /// <inheritdoc />
    public string Description => "Durable Task Framework on Azurite: sequential steps, fan-out, recovery";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var singleSteps = quick ? 20 : 100;
        var concurrentSteps = quick ? 10 : 40;
        var fanOuts = quick ? 1 : 3;

        // An idle worker polls its queues after 10% of the time it has been idle, at most MaxQueuePollingInterval
        // apart (DurableTask.AzureStorage 2.11.3), so the idle time sets what a client in another process waits.
        var idle = TimeSpan.FromSeconds(60);

        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("immortals-bench-dtfx-").FullName;
        report.Note("azurite", "in-memory, 127.0.0.1");
        report.Note("profile defaults", DtfxProfile.Defaults.Describe());
        report.Note("profile tuned", DtfxProfile.Tuned.Describe());
        report.Note("method", "each deployment uses a new task hub and first runs a few small orchestrations to warm up; "
            + "steps are timed where the activity runs; the client polls orchestration state every "
            + $"{DtfxMeasurements.StatePollInterval.TotalMilliseconds} ms");

        var sequential = report.StartTable(
            "sequential",
            "Sequential activity calls",
            "settings",
            "client",
            "orchestrations",
            "steps each",
            "steps/s",
            "step p50 (ms)",
            "step p99 (ms)",
            "first step p50 (ms)",
            "first step max (ms)",
            "duplicate executions");
        var fanOut = report.StartTable(
            "fanOut",
            $"Fan-out of {FanOutActivities} activity calls in one orchestration",
            "settings",
            "client",
            "last activity (ms)",
            "completed (ms)");
        var idleStart = report.StartTable(
            "idleStart",
            "First step of an orchestration started after the worker was idle",
            "settings",
            "client",
            "idle (s)",
            "start request (ms)",
            "first step (ms)",
            "next steps p50 (ms)");
        var recovery = report.StartTable(
            "recovery",
            "Recovery after SIGKILL of the worker process (10 orchestrations)",
            "settings",
            "steps each",
            "steps before kill",
            "new worker started (ms)",
            "first resumed step (ms)",
            "every orchestration resumed (ms)",
            "all completed (ms)",
            "duplicate executions");

        // The first deployment in a process ran at half speed or less in trial runs, whichever profile it had, so a
        // deployment that is not measured goes first.
        await using (var warmUp = await DtfxDeployment.StartAsync(
            azurite.ConnectionString, DtfxProfile.Tuned, separateProcess: false, folder))
        {
            await new DtfxMeasurements(warmUp.Client, warmUp.StepLogPath, TimeSpan.FromMinutes(2)).WarmUpAsync();
        }

        foreach (var profile in new[] { DtfxProfile.Defaults, DtfxProfile.Tuned })
        {
            var timeout = profile == DtfxProfile.Tuned ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10);
            foreach (var separateProcess in new[] { false, true })
            {
                var clientName = separateProcess ? "other process" : "worker process";
                await using var deployment = await DtfxDeployment.StartAsync(
                    azurite.ConnectionString, profile, separateProcess, folder);
                try
                {
                    var measurements = new DtfxMeasurements(deployment.Client, deployment.StepLogPath, timeout);
                    await measurements.WarmUpAsync();

                    foreach (var (orchestrations, steps) in new[] { (1, singleSteps), (Concurrent, concurrentSteps) })
                    {
                        var result = await measurements.RunSequentialAsync(orchestrations, steps);
                        sequential.Add(
                            profile.Name,
                            clientName,
                            orchestrations,
                            steps,
                            result.StepsPerSecond,
                            result.Step.P50,
                            result.Step.P99,
                            result.FirstStep.P50,
                            result.FirstStep.Max,
                            result.DuplicateExecutions);
                    }

                    for (var run = 0; run < fanOuts; run++)
                    {
                        var result = await measurements.RunFanOutAsync(FanOutActivities);
                        fanOut.Add(profile.Name, clientName, result.LastActivityMilliseconds, result.CompletedMilliseconds);
                    }

                    // The idle waits alone take 40 s or more, so quick mode leaves them out to stay under 5 minutes.
                    if (!quick)
                    {
                        var afterIdle = await measurements.RunAfterIdleAsync(idle);
                        idleStart.Add(
                            profile.Name,
                            clientName,
                            idle.TotalSeconds,
                            afterIdle.StartRequest.Max,
                            afterIdle.FirstStep.Max,
                            afterIdle.Step.P50);
                    }
                }
                catch (TimeoutException exception)
                {
                    // A deployment that stalls is recorded as timed out, and the scenario goes on with the next one.
                    report.Note($"timed out: {profile.Name}, client in {clientName}", exception.Message);
                }
            }
        }

        // With the defaults, messages that the killed worker had dequeued stay invisible for 5 minutes.
        var recoveryProfiles = quick ? new[] { DtfxProfile.Tuned } : new[] { DtfxProfile.Tuned, DtfxProfile.Defaults };
        foreach (var profile in recoveryProfiles)
        {
            const int orchestrations = 10;
            var steps = quick ? 30 : 60;
            var timeout = profile == DtfxProfile.Tuned ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(15);
            var result = await DtfxRecovery.RunAsync(
                azurite.ConnectionString, profile, folder, orchestrations, steps, orchestrations * steps / 4, timeout);
            recovery.Add(
                profile.Name,
                steps,
                result.StepsBeforeKill,
                result.NewWorkerReadyMilliseconds,
                result.FirstResumedStepMilliseconds,
                result.LastResumedMilliseconds,
                result.AllCompletedMilliseconds,
                result.DuplicateExecutions);
        }

        Directory.Delete(folder, recursive: true);
        report.Save(ResultsLocation.LatestJson);
    }
}
