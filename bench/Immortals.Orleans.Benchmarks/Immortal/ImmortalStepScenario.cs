using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Immortals.Orleans.Benchmarks.Dtfx;
using Immortals.Orleans.Benchmarks.Grains;
using Azure.Data.Tables;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Benchmarks.StorageFloor;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// The durable step of immortal grains: a workflow grain makes sequential calls to an immortal counter grain, both
/// checkpointing to Azure Table on a private Azurite. Measures steps per second, step latency and the storage
/// requests per step, with 1 and with 50 concurrent workflows, and a fan-out of 100 calls in one workflow.
/// </summary>
internal sealed class ImmortalStepScenario : IBenchmarkScenario
{
    private const int Concurrent = 50;
    private const int FanOutCalls = 100;
    private const int FloorPayloadBytes = 1024;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public string Name => "immortal";

    /// <inheritdoc />
    public string Description => "immortal workflow steps on Azurite: steps/s, latency, writes per step, fan-out";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var singleSteps = quick ? 100 : 500;
        var concurrentSteps = quick ? 20 : 40;

        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        var store = new CheckpointStore(azurite.ConnectionString);
        using var meter = new CheckpointMeter();
        await using var silo = await LocalSilo.StartAsync(store.AddTo);
        report.Note("azurite", "in-memory, 127.0.0.1");
        report.Note("silo", "one silo in the benchmark process, ImmortalOptions defaults, Azure Table checkpoint store; "
            + "the client is the silo's own grain factory");
        report.Note("method", "steps are timed where the callee runs; storage requests are counted by a policy in the "
            + "store's Azure clients, from the first start until no request was sent for 1 s after the last completion");
        report.Note("time split", "checkpoint: from the start of capture to the stored write (meter "
            + "immortals.checkpoints.duration); store write: the store's write alone (immortals.checkpoint.duration); "
            + "HTTP write: one write request in the Azure client's transport; CPU: cores used on average while the "
            + "workflows ran, by the benchmark process (silo and client) and by the whole machine (Azurite and other "
            + "people's builds included); floor now: conditional updates of a 1 KiB entity from this process for 1 s "
            + "right before the run, with one writer per workflow; with one workflow, each step's time is split into "
            + "the time covered by write requests in the transport and the rest (capture, serialization, message hops, "
            + "scheduling)");

        var sequential = report.StartTable(
            "sequential",
            "Sequential calls from an immortal workflow to an immortal counter",
            "workflows",
            "steps each",
            "steps/s",
            "step p50 (ms)",
            "step p99 (ms)",
            "first step p50 (ms)",
            "first step max (ms)",
            "storage writes/step",
            "storage reads/step",
            "checkpoints/step",
            "bytes/checkpoint",
            "checkpoint (ms, mean)",
            "store write (ms, mean)",
            "HTTP write (ms, mean)",
            "silo process CPU (cores)",
            "machine CPU (cores)",
            "floor now (updates/s)",
            "floor now p50 (ms)",
            "HTTP write p50 (ms)",
            "step in HTTP writes p50 (ms)",
            "step outside HTTP writes p50 (ms)");
        var fanOut = report.StartTable(
            "fanOut",
            $"Fan-out of {FanOutCalls} immortal calls in one workflow (Task.WhenAll)",
            "calls",
            "status",
            "last call (ms)",
            "completed (ms)",
            "storage writes",
            "detail");

        var measurements = new StepMeasurements(silo, store, meter);
        await measurements.RunSequentialAsync(5, 10);
        await measurements.RunSequentialAsync(Concurrent, 3);
        var floorTable = new TableServiceClient(azurite.ConnectionString).GetTableClient($"floor{Guid.NewGuid():N}");
        await floorTable.CreateAsync();
        foreach (var (workflows, steps) in new[] { (1, singleSteps), (Concurrent, concurrentSteps) })
        {
            // The storage floor right before the run, from this process, with as many writers as workflows and an
            // entity of about a checkpoint's size: what the run's storage requests would cost without the plugin.
            var floorLatencies = new List<double>();
            var floorRate = await StorageFloorScenario.RunRoundAsync(
                floorTable, workflows, FloorPayloadBytes, TimeSpan.FromSeconds(1), floorLatencies);
            var result = await measurements.RunSequentialAsync(workflows, steps);
            if (result.Split is { Gaps: var gaps })
            {
                report.Note("step gaps", string.Create(
                    CultureInfo.InvariantCulture,
                    $"p50 of the gaps outside the write requests of a step with one workflow: counter's step to its "
                    + $"write request {gaps.ToCalleeWrite.P50:F3} ms, end of that request to the workflow's write "
                    + $"request {gaps.ToCallerWrite.P50:F3} ms, end of that request to the next step "
                    + $"{gaps.ToNextStep.P50:F3} ms ({gaps.ToNextStep.Count} steps with two write requests)"));
            }

            sequential.Add(
                workflows,
                steps,
                result.StepsPerSecond,
                result.Step.P50,
                result.Step.P99,
                result.FirstStep.P50,
                result.FirstStep.Max,
                result.StorageWritesPerStep,
                result.StorageReadsPerStep,
                result.CheckpointsPerStep,
                result.BytesPerCheckpoint,
                result.CheckpointMilliseconds,
                result.StorageWriteMilliseconds,
                result.HttpWriteMilliseconds,
                result.ProcessCores,
                result.MachineCores,
                floorRate,
                LatencySummary.Of(floorLatencies).P50,
                result.Split?.HttpWrite.P50,
                result.Split?.InsideWrites.P50,
                result.Split?.OutsideWrites.P50);
        }

        var fan = await measurements.RunFanOutAsync(FanOutCalls);
        // The table names the error only; the note keeps its whole message.
        var shortDetail = fan.Detail.Split(':')[0];
        fanOut.Add(
            FanOutCalls,
            fan.Status,
            fan.LastCallMilliseconds,
            fan.CompletedMilliseconds,
            fan.StorageWrites,
            shortDetail);
        if (fan.Status != "ok")
        {
            report.Note("fan-out", $"{fan.Status}: {fan.Detail}");
        }

        report.Save(ResultsLocation.LatestJson);
    }

    /// <summary>Runs workflows on the silo and measures them from the steps its counters record.</summary>
    private sealed class StepMeasurements(LocalSilo silo, CheckpointStore store, CheckpointMeter meter)
    {
        public async Task<SequentialResult> RunSequentialAsync(int workflows, int steps)
        {
            var ids = Enumerable.Range(0, workflows).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
            var starts = new ConcurrentDictionary<string, long>();
            silo.Recorder.Clear();
            var (writesBefore, readsBefore, meterBefore) = (store.Requests.Writes, store.Requests.Reads, meter.Read());
            var writeTimeBefore = store.Requests.WriteTime;
            var cpu = new CpuUsage();
            store.Requests.StartRecordingWriteSpans();

            var expected = steps * (steps + 1) / 2;
            await Task.WhenAll(ids.Select(async id =>
            {
                var workflow = silo.Grains.GetGrain<IStepWorkflowGrain>("wf-" + id);
                starts["ctr-" + id] = Stopwatch.GetTimestamp();
                var sum = await workflow.Run("ctr-" + id, steps);
                if (sum != expected)
                {
                    throw new InvalidOperationException($"Workflow {id} returned {sum} instead of {expected}.");
                }
            })).WaitAsync(RunTimeout);
            var (processCores, machineCores) = (cpu.ProcessCores(), cpu.MachineCores());
            var writeSpans = store.Requests.StopRecordingWriteSpans();
            await WaitForQuietStorageAsync();

            var records = silo.Recorder.Snapshot();
            var stepLatencies = new List<double>();
            var firstSteps = new List<double>();
            foreach (var group in records.GroupBy(record => record.InstanceId))
            {
                var ordered = group.OrderBy(record => record.Timestamp).ToArray();
                if (!ordered.Select(record => record.Step).SequenceEqual(Enumerable.Range(1, steps)))
                {
                    throw new InvalidOperationException(
                        $"Counter {group.Key} ran steps {string.Join(",", ordered.Select(r => r.Step))}, not 1..{steps}.");
                }

                firstSteps.Add(LatencySummary.ToMilliseconds(ordered[0].Timestamp - starts[group.Key]));
                for (var i = 1; i < ordered.Length; i++)
                {
                    stepLatencies.Add(LatencySummary.ToMilliseconds(ordered[i].Timestamp - ordered[i - 1].Timestamp));
                }
            }

            var total = workflows * steps;
            if (records.Count != total)
            {
                throw new InvalidOperationException($"{records.Count} steps ran instead of {total}.");
            }

            // With one workflow the write requests during a step are that step's own, so they split its time.
            StepTimeSplit? split = workflows == 1
                ? StepTimeSplit.Of(records.OrderBy(r => r.Timestamp).Select(r => r.Timestamp).ToArray(), writeSpans)
                : null;
            var elapsed = LatencySummary.ToMilliseconds(records.Max(r => r.Timestamp) - starts.Values.Min()) / 1000;
            var used = meter.Read() - meterBefore;
            return new SequentialResult(
                total / elapsed,
                LatencySummary.Of(stepLatencies),
                LatencySummary.Of(firstSteps),
                (double)(store.Requests.Writes - writesBefore) / total,
                (double)(store.Requests.Reads - readsBefore) / total,
                (double)used.Checkpoints / total,
                used.StorageWrites == 0 ? 0 : (double)used.StoredBytes / used.StorageWrites,
                used.Checkpoints == 0 ? 0 : used.CheckpointSeconds * 1000 / used.Checkpoints,
                used.StorageWrites == 0 ? 0 : used.StorageWriteSeconds * 1000 / used.StorageWrites,
                (store.Requests.WriteTime - writeTimeBefore).TotalMilliseconds
                    / Math.Max(1, store.Requests.Writes - writesBefore),
                processCores,
                machineCores,
                split);
        }

        /// <summary>
        /// Runs one workflow that calls <paramref name="calls"/> counters at once. A workflow whose suspended
        /// <c>Task.WhenAll</c> cannot be checkpointed fails, and the fan-out is reported as missing with the error.
        /// </summary>
        public async Task<FanOutResult> RunFanOutAsync(int calls)
        {
            var id = Guid.NewGuid().ToString("N");
            silo.Recorder.Clear();
            var writesBefore = store.Requests.Writes;
            var started = Stopwatch.GetTimestamp();
            try
            {
                var sum = await silo.Grains.GetGrain<IStepWorkflowGrain>("fan-" + id)
                    .FanOut("fanctr-" + id, calls)
                    .WaitAsync(RunTimeout);
                var completed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                await WaitForQuietStorageAsync();
                var records = silo.Recorder.Snapshot();
                if (sum != calls || records.Count != calls)
                {
                    return new FanOutResult(
                        "wrong", null, null, store.Requests.Writes - writesBefore, $"sum {sum}, {records.Count} calls ran");
                }

                var last = LatencySummary.ToMilliseconds(records.Max(record => record.Timestamp) - started);
                return new FanOutResult("ok", last, completed, store.Requests.Writes - writesBefore, "");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                var detail = $"{exception.GetType().Name}: {exception.Message}".ReplaceLineEndings(" ");
                return new FanOutResult("missing", null, null, store.Requests.Writes - writesBefore, detail);
            }
        }

        /// <summary>Waits until the store sent no request for 1 s, so that trailing writes are counted.</summary>
        private async Task WaitForQuietStorageAsync()
        {
            var watch = Stopwatch.StartNew();
            var last = store.Requests.Writes + store.Requests.Reads;
            while (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                var now = store.Requests.Writes + store.Requests.Reads;
                if (now == last)
                {
                    return;
                }

                last = now;
            }
        }
    }

    /// <summary>Figures of one sequential run.</summary>
    private readonly record struct SequentialResult(
        double StepsPerSecond,
        LatencySummary Step,
        LatencySummary FirstStep,
        double StorageWritesPerStep,
        double StorageReadsPerStep,
        double CheckpointsPerStep,
        double BytesPerCheckpoint,
        double CheckpointMilliseconds,
        double StorageWriteMilliseconds,
        double HttpWriteMilliseconds,
        double ProcessCores,
        double? MachineCores,
        StepTimeSplit? Split);

    /// <summary>Figures of the fan-out.</summary>
    private readonly record struct FanOutResult(
        string Status,
        double? LastCallMilliseconds,
        double? CompletedMilliseconds,
        long StorageWrites,
        string Detail);
}
