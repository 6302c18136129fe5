using System.Globalization;
using System.Text.Json.Nodes;
using Immortals.Orleans.Benchmarks.Reporting;

namespace Immortals.Orleans.Benchmarks.Summary;

/// <summary>
/// Combines figures that other scenarios wrote into <c>bench/results/latest.json</c> into the ratios the goals are
/// stated in. It refuses to combine figures of different <c>bench/run.sh</c> invocations.
/// </summary>
internal sealed class SummaryScenario : IBenchmarkScenario
{
    private const int FloorWriters = 50;
    private const int FloorPayloadBytes = 64;
    private const int Concurrent = 50;

    /// <inheritdoc />
    public string Name => "summary";

    /// <inheritdoc />
    public string Description => "goals computed from the storage-floor, dtfx, immortal and overhead figures of one run";

    /// <inheritdoc />
    public Task RunAsync(bool quick)
    {
        var root = JsonNode.Parse(File.ReadAllText(ResultsLocation.LatestJson))?.AsObject()
            ?? throw new InvalidOperationException("The results file is empty.");
        string[] needed = ["storage-floor", "dtfx", "immortal", "overhead"];
        var runs = needed.Select(name => (string?)root[name]?["run"]).Distinct().ToArray();
        if (runs.Length != 1 || runs[0] is null)
        {
            throw new InvalidOperationException(
                $"The entries {string.Join(", ", needed)} must come from one bench/run.sh invocation; their run ids "
                + $"are {string.Join(", ", needed.Select(name => (string?)root[name]?["run"] ?? "missing"))}.");
        }

        var report = new ScenarioReport(Name, quick);
        report.Note("figures", $"run {runs[0]}");

        var floor = Rows(root, "storage-floor", "updates")
            .Single(row => Int(row, "writers") == FloorWriters && Int(row, "entity payload (bytes)") == FloorPayloadBytes);
        var immortal = Rows(root, "immortal", "sequential");
        var single = immortal.Single(row => Int(row, "workflows") == 1);
        var concurrent = immortal.Single(row => Int(row, "workflows") == Concurrent);

        // The peer's most favourable rows: its best throughput and its lowest step latency over both settings
        // profiles, with the client in the worker's process as the immortal side's client is in the silo's.
        var dtfx = Rows(root, "dtfx", "sequential").Where(row => (string?)row["client"] == "worker process").ToArray();
        var dtfxConcurrent = dtfx.Where(row => Int(row, "orchestrations") == Concurrent)
            .MaxBy(row => Number(row, "steps/s"))
            ?? throw new InvalidOperationException("The dtfx entry has no row of 50 orchestrations.");
        var dtfxSingle = dtfx.Where(row => Int(row, "orchestrations") == 1)
            .MinBy(row => Number(row, "step p50 (ms)"))
            ?? throw new InvalidOperationException("The dtfx entry has no row of 1 orchestration.");
        var overhead = Rows(root, "overhead", "summary").Single(row => (string?)row["silo"] == "AddImmortals");

        var writesPerStep = Number(concurrent, "storage writes/step");
        var floorSteps = Number(floor, "updates/s") / writesPerStep;
        var fraction = Number(concurrent, "steps/s") / floorSteps;
        var dtfxRatio = Number(concurrent, "steps/s") / Number(dtfxConcurrent, "steps/s");
        var p50Ratio = Number(single, "step p50 (ms)") / Number(dtfxSingle, "step p50 (ms)");
        var overheadPct = Number(overhead, "overhead_pct");

        var goals = report.StartTable(
            "goals",
            "Goals, from the figures of one run",
            "figure",
            "goal",
            "measured",
            "met",
            "computed from");
        goals.Add(
            "overhead_pct",
            "<= 2",
            overheadPct,
            Met(overheadPct <= 2),
            $"CPU time per operation, 95% CI {Format(Number(overhead, "95% CI low"))} to "
                + $"{Format(Number(overhead, "95% CI high"))}; throughput loss "
                + $"{Format(Number(overhead, "throughput_loss_pct"))}%");
        goals.Add(
            "dtfx_ratio",
            ">= 5",
            dtfxRatio,
            Met(dtfxRatio >= 5),
            $"{Format(Number(concurrent, "steps/s"))} / {Format(Number(dtfxConcurrent, "steps/s"))} steps/s "
            + $"(DTFx {dtfxConcurrent["settings"]}, 50 orchestrations)");
        goals.Add(
            "storage_floor_fraction",
            ">= 0.8",
            fraction,
            Met(fraction >= 0.8),
            $"{Format(Number(concurrent, "steps/s"))} steps/s / ({Format(Number(floor, "updates/s"))} updates/s "
            + $"/ {Format(writesPerStep)} writes per step)");
        var floorNowSteps = Number(concurrent, "floor now (updates/s)") / writesPerStep;
        var fractionNow = Number(concurrent, "steps/s") / floorNowSteps;
        goals.Add(
            "storage_floor_fraction, floor measured right before",
            ">= 0.8",
            fractionNow,
            Met(fractionNow >= 0.8),
            $"{Format(Number(concurrent, "steps/s"))} steps/s / ({Format(Number(concurrent, "floor now (updates/s)"))} "
            + $"updates/s of 50 writers of 1 KiB in the immortal scenario / {Format(writesPerStep)} writes per step)");
        goals.Add(
            "step p50 / DTFx step p50",
            "<= 0.2",
            p50Ratio,
            Met(p50Ratio <= 0.2),
            $"{Format(Number(single, "step p50 (ms)"))} ms / {Format(Number(dtfxSingle, "step p50 (ms)"))} ms "
            + $"(DTFx {dtfxSingle["settings"]}, 1 orchestration)");

        report.Save(ResultsLocation.LatestJson);
        return Task.CompletedTask;
    }

    private static JsonObject[] Rows(JsonObject root, string scenario, string table) =>
        root[scenario]?["tables"]?[table]?.AsArray().Select(row => row!.AsObject()).ToArray()
        ?? throw new InvalidOperationException($"The results have no table '{table}' of scenario '{scenario}'.");

    private static double Number(JsonObject row, string column) =>
        row[column]?.GetValue<double>()
        ?? throw new InvalidOperationException($"A row has no value in column '{column}'.");

    private static int Int(JsonObject row, string column) => (int)Number(row, column);

    private static string Met(bool met) => met ? "yes" : "no";

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
