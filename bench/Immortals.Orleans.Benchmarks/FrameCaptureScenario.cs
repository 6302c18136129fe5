using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.StateMachines;
using Microsoft.Extensions.DependencyInjection;
using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Calls;
using Orleans.Serialization;

namespace Immortals.Orleans.Benchmarks;

/// <summary>
/// Cost and size of capturing (and rebuilding) chains of suspended frames of growing depth, against
/// Orleans-serializing plain objects with the same fields, and of growing numbers of pending calls: suspended roots
/// that each await one call, with the stored records of those calls.
/// </summary>
internal sealed class FrameCaptureScenario : IBenchmarkScenario
{
    /// <inheritdoc />
    public string Name => "frames";

    /// <inheritdoc />
    public string Description => "capture and rebuild by chain depth and by pending calls vs. plain serialization";

    /// <inheritdoc />
    public Task RunAsync(bool quick)
    {
        var serializer = new ServiceCollection()
            .AddSerializer(builder => builder
                .AddAssembly(typeof(PlainFrame).Assembly)
                .AddAssembly(typeof(CallRecord).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        var engine = new AsyncFrameEngine(serializer);
        var rounds = quick ? 5 : 15;
        var roundTime = TimeSpan.FromMilliseconds(quick ? 200 : 1000);
        var warmUp = TimeSpan.FromMilliseconds(quick ? 300 : 1000);
        var timing = new Timing(rounds, roundTime, warmUp);

        var report = new ScenarioReport(Name, quick);
        report.Note("method", $"{warmUp.TotalMilliseconds} ms warm-up, then {rounds} rounds of about "
            + $"{roundTime.TotalMilliseconds} ms, median per operation");
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
        foreach (var depth in quick ? new[] { 1, 10, 20 } : new[] { 1, 2, 5, 10, 20 })
        {
            MeasureChain(engine, serializer, depth, timing, table);
        }

        var pending = report.StartTable(
            "pendingCalls",
            "Capture of suspended roots that each await one pending call, and the records of those calls",
            "pending calls",
            "capture (µs)",
            "snapshot (bytes)",
            "call records serialize (µs)",
            "call records (bytes)",
            "capture per call (µs)",
            "bytes per call");
        foreach (var calls in new[] { 1, 10, 100 })
        {
            MeasurePendingCalls(engine, serializer, calls, timing, pending);
        }

        report.Save(ResultsLocation.LatestJson);
        return Task.CompletedTask;
    }

    private static void MeasureChain(
        AsyncFrameEngine engine,
        Serializer serializer,
        int depth,
        Timing timing,
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
        var capture = timing.Run(() => engine.Capture(request));
        var baseline = timing.Run(() => serializer.SerializeToArray(plain));

        var scheduler = new InlineTaskScheduler();
        var rebuildRequest = new FrameRebuildRequest
        {
            Owner = new BenchFlow(),
            Scheduler = scheduler,
            CreateLeaf = _ => new TaskCompletionSource<int>().Task,
        };
        var rebuild = timing.Run(() => engine.RebuildAsync(snapshot, rebuildRequest).GetAwaiter().GetResult());

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

    /// <summary>
    /// Captures <paramref name="calls"/> roots of one frame, each awaiting its own pending call, and serializes the
    /// call records a checkpoint stores for them: target, interface, method name and a request of 48 bytes (the size
    /// of a one-argument request of the benchmark grains).
    /// </summary>
    private static void MeasurePendingCalls(
        AsyncFrameEngine engine,
        Serializer serializer,
        int calls,
        Timing timing,
        ScenarioReport.Table table)
    {
        var sample = new Sample(7, "sample text");
        var key = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        var owner = new BenchFlow();
        var request = new FrameCaptureRequest { Owner = owner };
        var records = new List<CallRecord>();
        for (var call = 1; call <= calls; call++)
        {
            var leaf = new TaskCompletionSource<int>();
            request.AddRoot(call, owner.ChainAsync(1, leaf.Task, "frame", 12.5m, key, sample)).AddLeaf(call, leaf.Task);
            records.Add(new CallRecord
            {
                Sequence = call,
                Target = GrainId.Create("stepcounter", $"ctr-{call}-{key:N}"),
                InterfaceType = typeof(IStepCounterGrain).FullName!,
                TargetIsImmortal = true,
                Request = new byte[48],
                MethodName = "IStepCounterGrain.Add",
            });
        }

        var snapshot = engine.Capture(request);
        var recordBytes = serializer.SerializeToArray(records);
        var capture = timing.Run(() => engine.Capture(request));
        var serialize = timing.Run(() => serializer.SerializeToArray(records));
        table.Add(
            calls,
            capture.MedianNanoseconds / 1000,
            snapshot.Length,
            serialize.MedianNanoseconds / 1000,
            recordBytes.Length,
            (capture.MedianNanoseconds + serialize.MedianNanoseconds) / 1000 / calls,
            (double)(snapshot.Length + recordBytes.Length) / calls);
    }

    /// <summary>Rounds and warm-up of every measurement of the scenario.</summary>
    private sealed record Timing(int Rounds, TimeSpan RoundTime, TimeSpan WarmUp)
    {
        public Measurement.Result Run(Action operation) => Measurement.Run(operation, Rounds, RoundTime, WarmUp);
    }
}
