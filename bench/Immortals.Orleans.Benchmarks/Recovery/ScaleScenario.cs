using System.Diagnostics;
using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// Many suspended workflows on one silo process: each waits on an ordinary park grain that never releases it.
/// Measures the memory per suspended workflow, the checkpoint bytes each one stored, and the time until all of
/// them resumed on a second silo after SIGKILL of the first.
/// </summary>
internal sealed class ScaleScenario : IBenchmarkScenario
{
    private const int ParkShards = 16;
    private const int StartBatch = 500;

    /// <inheritdoc />
    public string Name => "scale";

    /// <inheritdoc />
    public string Description => "10,000 suspended workflows on one silo (500 in quick mode): memory, recovery";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var count = quick ? 500 : 10_000;
        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        var folder = Directory.CreateTempSubdirectory("immortals-bench-scale-").FullName;
        report.Note("azurite", "in-memory, 127.0.0.1");
        report.Note("method", $"{count} workflows each call an ordinary park grain ({ParkShards} shards, placed on "
            + "the caller's silo) that holds the call; memory is read in silo A after a full compacting collection "
            + "before and after; then silo B starts with tuned membership, A is killed with SIGKILL, and a workflow "
            + "counts as resumed when its rebuilt frame calls the park grain again on B");

        var table = report.StartTable(
            "scale",
            "Suspended workflows on one silo process",
            "workflows",
            "suspended",
            "suspend all (s)",
            "GC heap per workflow (bytes)",
            "working set per workflow (bytes)",
            "checkpoints per workflow",
            "stored bytes per workflow",
            "store writes per workflow",
            "store conflicts per workflow",
            "first resumed (ms)",
            "resumed",
            "all resumed (ms)");

        await using (var deployment = new SiloDeployment(azurite.ConnectionString, MembershipProfile.Tuned, folder))
        {
            var first = await deployment.StartSiloAsync("a");
            await deployment.ConnectClientAsync();
            var client = deployment.Client;
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                client.GetGrain<IStepWorkflowGrain>($"warm-{i}").Run($"warmctr-{i}", 3)));
            var before = await first.ReadMemoryAsync();
            var registryBefore = await first.ReadRegistryAsync();

            var workflows = Enumerable.Range(0, count).Select(i => $"wf-{i}-{Guid.NewGuid():N}").ToArray();
            var started = Stopwatch.GetTimestamp();
            try
            {
                await SuspendAsync(client, first, workflows, started);
            }
            catch (TimeoutException exception)
            {
                // The figures below then cover the workflows that did suspend.
                report.Note("not suspended", exception.Message);
            }

            var suspendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            // Let the last checkpoints and registry writes finish before reading the totals.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = await first.ReadMemoryAsync();
            var registryOnFirst = await first.ReadRegistryAsync() - registryBefore;

            var second = await deployment.StartSiloAsync("b");
            await first.KillAsync();
            var killed = Stopwatch.GetTimestamp();
            var names = SiloDeployment.Steps(first)
                .Where(r => r.Step == ParkGrain.ArrivalStep && r.Timestamp >= started)
                .Select(r => r.InstanceId)
                .ToHashSet();
            var suspended = names.Count;
            try
            {
                await StepWait.UntilAsync(
                    () => ResumedOn(second, names, killed).Count() >= suspended,
                    TimeSpan.FromMinutes(quick ? 3 : 6),
                    $"all {suspended} suspended workflows resumed");
            }
            catch (TimeoutException exception)
            {
                var missing = names.Except(SiloDeployment.Steps(second).Select(r => r.InstanceId)).ToArray();
                report.Note("not resumed", $"{exception.Message} Not resumed: {string.Join(", ", missing.Take(10))}"
                    + (missing.Length > 10 ? $" and {missing.Length - 10} more" : ""));
            }

            var resumed = ResumedOn(second, names, killed).ToArray();
            var registryOnSecond = await second.ReadRegistryAsync();
            report.Note("registry on silo A while suspending", registryOnFirst.ToString());
            report.Note("registry on silo B until all resumed", registryOnSecond.ToString());

            var perWorkflow = Math.Max(1, suspended);
            table.Add(
                count,
                suspended,
                suspendSeconds,
                (double)(after.GcHeapBytes - before.GcHeapBytes) / perWorkflow,
                (double)(after.WorkingSetBytes - before.WorkingSetBytes) / perWorkflow,
                (double)(after.Checkpoints - before.Checkpoints) / perWorkflow,
                (double)(after.StoredBytes - before.StoredBytes) / perWorkflow,
                (double)(after.StoreWrites - before.StoreWrites) / perWorkflow,
                (double)(after.StoreConflicts - before.StoreConflicts) / perWorkflow,
                resumed.Length == 0 ? null : LatencySummary.ToMilliseconds(resumed.Min() - killed),
                resumed.Length,
                resumed.Length < suspended ? null : LatencySummary.ToMilliseconds(resumed.Max() - killed));
        }

        Directory.Delete(folder, recursive: true);
        report.Save(ResultsLocation.LatestJson);
    }

    /// <summary>
    /// Starts the workflows in batches and waits until each batch has arrived at the park grains, at most 5 minutes
    /// a batch.
    /// </summary>
    private static async Task SuspendAsync(IClusterClient client, SiloProcess silo, string[] workflows, long started)
    {
        for (var offset = 0; offset < workflows.Length; offset += StartBatch)
        {
            // The calls stay open until the silo dies; the park records tell when each workflow arrived.
            foreach (var (workflow, index) in workflows.Skip(offset).Take(StartBatch).Select((w, i) => (w, i)))
            {
                var park = $"park-{(offset + index) % ParkShards}";
                _ = client.GetGrain<IStepWorkflowGrain>(workflow).Park(park)
                    .ContinueWith(task => task.Exception, TaskScheduler.Default);
            }

            var target = Math.Min(workflows.Length, offset + StartBatch);
            await StepWait.UntilAsync(
                () => Arrivals(silo, started) >= target,
                TimeSpan.FromMinutes(5),
                $"{target} workflows are suspended");
        }
    }

    private static int Arrivals(SiloProcess silo, long since) =>
        SiloDeployment.Steps(silo).Count(r => r.Step == ParkGrain.ArrivalStep && r.Timestamp >= since);

    /// <summary>Returns, per workflow, the time of its first arrival at a park grain on <paramref name="silo"/>.</summary>
    private static IEnumerable<long> ResumedOn(SiloProcess silo, HashSet<string> workflows, long since) =>
        SiloDeployment.Steps(silo)
            .Where(r => r.Step == ParkGrain.ArrivalStep && r.Timestamp >= since && workflows.Contains(r.InstanceId))
            .GroupBy(r => r.InstanceId)
            .Select(group => group.Min(r => r.Timestamp));
}
