using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.StateMachines;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Immortals.Orleans.Benchmarks;

/// <summary>
/// Cost and size of capturing (and rebuilding) a chain of 1 and of 10 suspended frames, against Orleans-serializing
/// plain objects with the same fields.
/// </summary>
internal sealed class FrameCaptureScenario : IBenchmarkScenario
{
    /// <inheritdoc />
    public string Name => "frames";

    /// <inheritdoc />
    public string Description => "capture and rebuild of 1- and 10-frame chains vs. plain Orleans serialization";

    /// <inheritdoc />
    public Task RunAsync(bool quick)
    {
        var serializer = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(PlainFrame).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        var engine = new AsyncFrameEngine(serializer);
        var rounds = quick ? 5 : 15;
        var roundTime = TimeSpan.FromMilliseconds(quick ? 300 : 1000);

        var report = new ScenarioReport(Name, quick);
        report.Note("method", $"{rounds} rounds of about {roundTime.TotalMilliseconds} ms, median per operation");
        var table = report.StartTable(
            "chains",
            "Capture and rebuild of suspended chains",
            "frames",
            "capture (µs)",
            "plain serialize (µs)",
            "time ratio",
            "snapshot (bytes)",
            "plain (bytes)",
            "size ratio",
            "capture alloc (bytes)",
            "rebuild (µs)");
        foreach (var depth in new[] { 1, 10 })
        {
            MeasureChain(engine, serializer, depth, rounds, roundTime, table);
        }

        report.Save(ResultsLocation.LatestJson);
        return Task.CompletedTask;
    }

    private static void MeasureChain(
        AsyncFrameEngine engine,
        Serializer serializer,
        int depth,
        int rounds,
        TimeSpan roundTime,
        ScenarioReport.Table table)
    {
        var sample = new Sample(7, "sample text");
        var key = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        var leaf = new TaskCompletionSource<int>();
        var owner = new BenchFlow();
        var root = owner.ChainAsync(depth, leaf.Task, "frame", 12.5m, key, sample);
        var request = new FrameCaptureRequest { Owner = owner }.AddRoot(1, root).AddLeaf(1, leaf.Task);

        var plain = Enumerable.Range(0, depth)
            .Select(i => new PlainFrame
            {
                State = 0,
                Awaits = i + 1,
                Depth = depth - i,
                Name = "frame",
                Amount = 12.5m,
                Key = key,
                Sample = sample,
                Count = (depth - i) * 3,
                Label = "frame" + (depth - i),
                Total = 12.5m + depth - i,
            })
            .ToArray();

        var snapshot = engine.Capture(request);
        var plainBytes = serializer.SerializeToArray(plain);
        var capture = Measurement.Run(() => engine.Capture(request), rounds, roundTime);
        var baseline = Measurement.Run(() => serializer.SerializeToArray(plain), rounds, roundTime);

        var scheduler = new InlineTaskScheduler();
        var rebuildRequest = new FrameRebuildRequest
        {
            Owner = new BenchFlow(),
            Scheduler = scheduler,
            CreateLeaf = _ => new TaskCompletionSource<int>().Task,
        };
        var rebuild = Measurement.Run(() => engine.RebuildAsync(snapshot, rebuildRequest).GetAwaiter().GetResult(), rounds, roundTime);

        table.Add(
            depth,
            capture.MedianNanoseconds / 1000,
            baseline.MedianNanoseconds / 1000,
            capture.MedianNanoseconds / baseline.MedianNanoseconds,
            snapshot.Length,
            plainBytes.Length,
            (double)snapshot.Length / plainBytes.Length,
            capture.AllocatedBytes,
            rebuild.MedianNanoseconds / 1000);
    }
}
