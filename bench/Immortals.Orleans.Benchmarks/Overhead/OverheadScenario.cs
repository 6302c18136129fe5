using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Benchmarks.Immortal;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Hosting;

namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>
/// Overhead of the plugin on ordinary grain calls: three silos in this process, one with <c>AddImmortals</c>, one
/// without, and one with pass-through call filters only, run the same ping workload in short rounds in rotating
/// order. The overhead is the mean of the per-cycle differences in throughput, with a 95% confidence interval.
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
        var cycles = quick ? 10 : 30;
        var roundTime = TimeSpan.FromMilliseconds(quick ? 800 : 2000);
        var warmUp = TimeSpan.FromSeconds(quick ? 1 : 5);

        var report = new ScenarioReport(Name, quick);
        report.Note("workload", $"{Concurrency} loops, each calling an ordinary relay grain that calls an ordinary "
            + "ping grain (two grain calls per operation, through both call filters of a silo)");
        report.Note("method", $"{warmUp.TotalSeconds} s warm-up on each silo, then {cycles} cycles of one round of "
            + $"{roundTime.TotalSeconds} s on each silo in rotating order; overhead per cycle = "
            + "(without - with) / without; mean with a 95% confidence interval (Student's t)");

        var directory = Directory.CreateTempSubdirectory("immortals-bench-overhead-").FullName;
        var rounds = report.StartTable(
            "rounds",
            "Throughput of each round (operations/s)",
            "cycle",
            "with AddImmortals",
            "without",
            "pass-through filters");
        var summary = report.StartTable(
            "summary",
            "Overhead on ordinary grain calls",
            "silo",
            "cycles",
            "with (ops/s, mean)",
            "without (ops/s, mean)",
            "overhead_pct",
            "95% CI low",
            "95% CI high");

        await using (var with = await LocalSilo.StartAsync(silo => silo.AddImmortals(
            options => options.DefaultDirectory = directory)))
        await using (var without = await LocalSilo.StartAsync(_ => { }))
        await using (var filtered = await LocalSilo.StartAsync(silo => silo
            .AddIncomingGrainCallFilter<PassThroughCallFilter>()
            .AddOutgoingGrainCallFilter<PassThroughCallFilter>()))
        {
            await MeasureAsync(with, warmUp);
            await MeasureAsync(without, warmUp);
            await MeasureAsync(filtered, warmUp);
            LocalSilo[] silos = [with, without, filtered];
            var rates = silos.Select(_ => new List<double>()).ToArray();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                // Rotate the order in every cycle, so that a drift in machine load favours no silo.
                for (var i = 0; i < silos.Length; i++)
                {
                    var index = (cycle + i) % silos.Length;
                    rates[index].Add(await MeasureAsync(silos[index], roundTime));
                }

                rounds.Add(cycle, rates[0][^1], rates[1][^1], rates[2][^1]);
            }

            var (withRates, withoutRates, filteredRates) = (rates[0], rates[1], rates[2]);
            AddSummary(summary, "AddImmortals", withRates, withoutRates);
            AddSummary(summary, "pass-through filters", filteredRates, withoutRates);
        }

        Directory.Delete(directory, recursive: true);
        report.Save(ResultsLocation.LatestJson);
    }

    private static void AddSummary(
        ScenarioReport.Table summary,
        string silo,
        List<double> withRates,
        List<double> withoutRates)
    {
        var differences = withRates.Zip(withoutRates, (a, b) => 100 * (b - a) / b).ToArray();
        var (mean, halfWidth) = ConfidenceInterval.Of(differences);
        summary.Add(
            silo,
            withRates.Count,
            withRates.Average(),
            withoutRates.Average(),
            mean,
            mean - halfWidth,
            mean + halfWidth);
    }

    /// <summary>Runs the ping workload on <paramref name="silo"/> for <paramref name="duration"/>; returns ops/s.</summary>
    private static async Task<double> MeasureAsync(LocalSilo silo, TimeSpan duration)
    {
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
        return counts.Sum() / watch.Elapsed.TotalSeconds;
    }
}
