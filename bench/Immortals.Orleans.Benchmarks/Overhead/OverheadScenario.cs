using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Benchmarks.Immortal;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Hosting;

namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>
/// Overhead of the plugin on ordinary grain calls. Four silos in this process run the same ping workload in short
/// rounds in rotating order: one with <c>AddImmortals</c>, one without filters, one with pass-through incoming and
/// outgoing call filters and one with a pass-through outgoing filter. Each round measures throughput and the
/// process's CPU time per operation. The overhead is the mean of the per-cycle differences against the silo without
/// filters, with a 95% confidence interval.
/// </summary>
internal sealed class OverheadScenario : IBenchmarkScenario
{
    private const int Concurrency = 50;

    /// <inheritdoc />
    public string Name => "overhead";

    /// <inheritdoc />
    public string Description => "ordinary grain calls on a silo with and without AddImmortals, alternating rounds";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var cycles = quick ? 40 : 120;
        var roundTime = TimeSpan.FromMilliseconds(quick ? 200 : 400);
        var warmUp = TimeSpan.FromSeconds(quick ? 3 : 5);

        var report = new ScenarioReport(Name, quick);
        report.Note("workload", $"{Concurrency} loops, each calling an ordinary relay grain that calls an ordinary "
            + "ping grain (two grain calls per operation, through the call filters of a silo)");
        report.Note("method", $"{warmUp.TotalSeconds} s warm-up on each silo, then {cycles} cycles of one round of "
            + $"{roundTime.TotalSeconds} s on each silo in rotating order, each round after a full garbage "
            + "collection; per round the throughput and the process CPU time per operation; overhead per cycle = "
            + "(CPU per op with - without) / without and (ops/s without - with) / without; mean with a 95% "
            + "confidence interval (Student's t) and median over the cycles");

        var directory = Directory.CreateTempSubdirectory("immortals-bench-overhead-").FullName;
        (string Name, Action<ISiloBuilder> Configure)[] variants =
        [
            ("AddImmortals", silo => silo.AddImmortals(options => options.DefaultDirectory = directory)),
            ("without", _ => { }),
            ("pass-through filters", silo => silo
                .AddIncomingGrainCallFilter<PassThroughCallFilter>()
                .AddOutgoingGrainCallFilter<PassThroughCallFilter>()),
            ("pass-through outgoing filter", silo => silo.AddOutgoingGrainCallFilter<PassThroughCallFilter>()),
        ];
        var rounds = report.StartTable(
            "rounds",
            "Throughput (operations/s) and CPU time per operation (µs) of each round",
            [
                "cycle",
                .. variants.Select(variant => variant.Name),
                .. variants.Select(variant => "CPU µs/op " + variant.Name),
            ]);
        var summary = report.StartTable(
            "summary",
            "Overhead on ordinary grain calls against the silo without filters: extra CPU time per operation, and "
                + "throughput loss",
            "silo",
            "cycles",
            "CPU µs/op with (mean)",
            "CPU µs/op without (mean)",
            "overhead_pct",
            "95% CI low",
            "95% CI high",
            "median_pct",
            "throughput_loss_pct",
            "throughput 95% CI low",
            "throughput 95% CI high");

        var silos = new List<LocalSilo>();
        try
        {
            foreach (var variant in variants)
            {
                silos.Add(await LocalSilo.StartAsync(variant.Configure));
            }

            foreach (var silo in silos)
            {
                await MeasureAsync(silo, warmUp);
            }

            var measured = silos.Select(_ => new List<OverheadRound>()).ToArray();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                // Rotate the order in every cycle, so that a drift in machine load favours no silo.
                for (var i = 0; i < silos.Count; i++)
                {
                    var index = (cycle + i) % silos.Count;
                    measured[index].Add(await MeasureAsync(silos[index], roundTime));
                }

                rounds.Add(
                [
                    cycle,
                    .. measured.Select(list => (object)list[^1].OpsPerSecond),
                    .. measured.Select(list => (object)list[^1].CpuMicrosecondsPerOp),
                ]);
            }

            for (var i = 0; i < variants.Length; i++)
            {
                if (i != 1)
                {
                    AddSummary(summary, variants[i].Name, measured[i], measured[1]);
                }
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }

        Directory.Delete(directory, recursive: true);
        report.Save(ResultsLocation.LatestJson);
    }

    private static void AddSummary(
        ScenarioReport.Table summary,
        string silo,
        List<OverheadRound> with,
        List<OverheadRound> without)
    {
        var cpu = with.Zip(without, (a, b) => 100 * (a.CpuMicrosecondsPerOp - b.CpuMicrosecondsPerOp)
            / b.CpuMicrosecondsPerOp).ToArray();
        var throughput = with.Zip(without, (a, b) => 100 * (b.OpsPerSecond - a.OpsPerSecond) / b.OpsPerSecond)
            .ToArray();
        var (cpuMean, cpuHalfWidth) = ConfidenceInterval.Of(cpu);
        var (throughputMean, throughputHalfWidth) = ConfidenceInterval.Of(throughput);
        summary.Add(
            silo,
            with.Count,
            with.Average(round => round.CpuMicrosecondsPerOp),
            without.Average(round => round.CpuMicrosecondsPerOp),
            cpuMean,
            cpuMean - cpuHalfWidth,
            cpuMean + cpuHalfWidth,
            ConfidenceInterval.Median(cpu),
            throughputMean,
            throughputMean - throughputHalfWidth,
            throughputMean + throughputHalfWidth);
    }

    /// <summary>Runs the ping workload on <paramref name="silo"/> for <paramref name="duration"/>.</summary>
    private static async Task<OverheadRound> MeasureAsync(LocalSilo silo, TimeSpan duration)
    {
        // Collect the garbage of earlier rounds first, so that no round pays for another silo's allocations.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async loop =>
        {
            var relay = silo.Grains.GetGrain<IPingRelayGrain>(loop);
            var count = 0;
            while (watch.Elapsed < duration)
            {
                if (await relay.Relay(count) != count + 1)
                {
                    throw new InvalidOperationException("The ping grain returned a wrong value.");
                }

                count++;
            }

            return count;
        }));
        var elapsed = watch.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var operations = counts.Sum();
        return new OverheadRound(operations / elapsed.TotalSeconds, cpu.TotalMicroseconds / operations);
    }
}
