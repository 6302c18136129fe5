using System.Diagnostics;
using Immortals.Orleans.Benchmarks.Dtfx;
using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// Recovery of immortal workflows after SIGKILL of their silo process: two silo processes clustered through Azure
/// Table membership on Azurite, workflows and their counters active on the first, which is killed mid-run. Measures
/// the time from the kill to the first step on the surviving silo, until every workflow resumed and until all
/// completed, with Orleans' membership defaults and with tuned probe timeouts.
/// </summary>
internal sealed class RecoveryScenario : IBenchmarkScenario
{
    private const int Workflows = 10;
    private const int TimelineEventsPerKind = 3;

    /// <inheritdoc />
    public string Name => "recovery";

    /// <inheritdoc />
    public string Description => "immortal workflows resumed after SIGKILL of their silo process";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var steps = quick ? 30 : 60;
        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("immortals-bench-recovery-").FullName;
        report.Note("azurite", "in-memory, 127.0.0.1");
        report.Note("cluster", "two silo processes, Azure Table membership and checkpoints on the same Azurite, "
            + "ImmortalOptions defaults; the client runs in the benchmark process");
        report.Note("method", $"{Workflows} workflows and their counters are activated on silo A and parked; silo B "
            + $"starts; the workflows are released and A is killed with SIGKILL once a quarter of their {steps} steps "
            + "each have run; steps are timed where the counters run");

        var table = report.StartTable(
            "recovery",
            $"Recovery after SIGKILL of the silo process ({Workflows} workflows)",
            "membership",
            "steps each",
            "steps before kill",
            "first resumed step (ms)",
            "every workflow resumed (ms)",
            "all completed (ms)",
            "steps run again");

        foreach (var profile in new[] { MembershipProfile.Tuned, MembershipProfile.Defaults })
        {
            try
            {
                var result = await RunOnceAsync(azurite.ConnectionString, profile, folder, steps);
                table.Add(
                    profile.Name,
                    steps,
                    result.StepsBeforeKill,
                    result.FirstResumedMilliseconds,
                    result.EveryResumedMilliseconds,
                    result.AllCompletedMilliseconds,
                    result.StepsRunAgain);
            }
            catch (TimeoutException exception)
            {
                report.Note($"timed out: {profile.Name}", exception.Message);
            }
        }

        Directory.Delete(folder, recursive: true);
        report.Save(ResultsLocation.LatestJson);
    }

    private static async Task<Result> RunOnceAsync(
        string connectionString,
        MembershipProfile profile,
        string folder,
        int steps)
    {
        var timeout = TimeSpan.FromMinutes(3);
        await using var deployment = new SiloDeployment(connectionString, profile, folder);
        var first = await deployment.StartSiloAsync("a");
        await deployment.ConnectClientAsync();
        var client = deployment.Client;
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            client.GetGrain<IStepWorkflowGrain>($"warm-{i}").Run($"warmctr-{i}", 5)));

        var parkKey = $"park-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, Workflows).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        var workflows = ids.Select(id => "wf-" + id).ToHashSet();
        var counters = ids.Select(id => "ctr-" + id).ToHashSet();

        // The client's calls end with the killed silo; the counters tell what the workflows did.
        var runs = ids.Select(id => client.GetGrain<IStepWorkflowGrain>("wf-" + id)
            .RunAfterPark("ctr-" + id, steps, parkKey)).ToArray();
        _ = Task.WhenAll(runs).ContinueWith(task => task.Exception, TaskScheduler.Default);
        await StepWait.UntilAsync(
            () => SiloDeployment.Steps(first).Count(r => r.Step == ParkGrain.ArrivalStep && workflows.Contains(r.InstanceId))
                == Workflows,
            timeout,
            "every workflow is parked on silo A");

        var second = await deployment.StartSiloAsync("b");

        // A cluster that runs for a while probes at its steady period, not at the initial one of a new silo.
        await Task.Delay(profile.SteadyProbingDelay);
        await client.GetGrain<IParkGrain>(parkKey).Release();
        var stepsBeforeKill = Workflows * steps / 4;
        await StepWait.UntilAsync(
            () => CountSteps(SiloDeployment.Steps(first), counters) >= stepsBeforeKill,
            timeout,
            $"{stepsBeforeKill} steps have run");

        await first.KillAsync();
        var killed = Stopwatch.GetTimestamp();
        var before = SiloDeployment.Steps(first).Where(r => r.Step >= 1 && counters.Contains(r.InstanceId)).ToArray();
        await StepWait.UntilAsync(
            () => SiloDeployment.Steps(second).Count(r => r.Step == steps && counters.Contains(r.InstanceId))
                + before.Count(r => r.Step == steps) >= Workflows,
            timeout,
            "every workflow has made its last step");
        var allCompleted = Stopwatch.GetTimestamp();

        var after = SiloDeployment.Steps(second).Where(r => r.Step >= 1 && counters.Contains(r.InstanceId)).ToArray();
        var all = before.Concat(after).ToArray();
        foreach (var counter in counters)
        {
            var made = all.Where(r => r.InstanceId == counter).Select(r => r.Step).Distinct().Order();
            if (!made.SequenceEqual(Enumerable.Range(1, steps)))
            {
                throw new InvalidOperationException($"Counter {counter} made steps {string.Join(",", made)}.");
            }

            var count = await ClientRetry.CallAsync(() => client.GetGrain<IStepCounterGrain>(counter).GetCount());
            if (count != steps)
            {
                throw new InvalidOperationException($"Counter {counter} counts {count} instead of {steps}.");
            }
        }

        PrintTimeline(profile, second, killed, after.Min(r => r.Timestamp));

        var unfinished = counters.Where(c => !before.Any(r => r.InstanceId == c && r.Step == steps)).ToHashSet();
        var resumed = after.Where(r => unfinished.Contains(r.InstanceId))
            .GroupBy(r => r.InstanceId)
            .Select(group => group.Min(r => r.Timestamp))
            .ToArray();
        return new Result(
            before.Length,
            LatencySummary.ToMilliseconds(after.Min(r => r.Timestamp) - killed),
            LatencySummary.ToMilliseconds(resumed.Max() - killed),
            LatencySummary.ToMilliseconds(allCompleted - killed),
            all.Length - all.Select(r => (r.InstanceId, r.Step)).Distinct().Count());
    }

    /// <summary>
    /// Prints the first <see cref="TimelineEventsPerKind"/> events of each kind that the surviving silo logged from
    /// the kill until its first resumed step, in milliseconds after the kill.
    /// </summary>
    private static void PrintTimeline(MembershipProfile profile, SiloProcess survivor, long killed, long firstStep)
    {
        var path = SiloRole.TimelinePath(survivor.StepLogPath);
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var seen = new Dictionary<string, int>();
        Console.WriteLine($"timeline of silo B after the kill ({profile.Name}):");
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', 5);
            if (parts.Length < 5 || !long.TryParse(parts[0], out var timestamp) || timestamp < killed)
            {
                continue;
            }

            if (timestamp > firstStep)
            {
                break;
            }

            var kind = $"{parts[2]} {parts[3]}";
            seen[kind] = seen.GetValueOrDefault(kind) + 1;
            if (seen[kind] <= TimelineEventsPerKind)
            {
                var message = parts[4].Length > 160 ? parts[4][..160] : parts[4];
                var offset = LatencySummary.ToMilliseconds(timestamp - killed);
                Console.WriteLine($"  {offset,8:F1} ms  {parts[2]} {parts[3]}: {message}");
            }
        }

        Console.WriteLine($"  {LatencySummary.ToMilliseconds(firstStep - killed),8:F1} ms  first resumed step");
    }

    private static int CountSteps(IReadOnlyList<StepRecord> records, HashSet<string> counters) =>
        records.Count(r => r.Step >= 1 && counters.Contains(r.InstanceId));

    private readonly record struct Result(
        int StepsBeforeKill,
        double FirstResumedMilliseconds,
        double EveryResumedMilliseconds,
        double AllCompletedMilliseconds,
        int StepsRunAgain);
}
