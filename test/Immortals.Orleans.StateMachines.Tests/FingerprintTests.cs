using Immortals.Orleans.StateMachines.Harness;
using Microsoft.CodeAnalysis;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// A snapshot of a method must not be rebuilt on an edited build of it. Each test compiles two source variants of
/// the same assembly with Roslyn, captures with the first and rebuilds with the second.
/// </summary>
public sealed class FingerprintTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string Original = """
        using System.Threading.Tasks;
        using Immortals.Orleans.StateMachines.Harness;
        namespace Flows;
        public sealed class Flow(LeafCalls calls)
        {
            public async Task<int> RunAsync()
            {
                var a = await calls.Call<int>("inc", 1);
                var c = await calls.Call<int>("inc", a);
                return a + c;
            }
        }
        """;

    // An unrelated method and string before RunAsync shift every metadata token of RunAsync's body.
    private const string UnrelatedEdit = """
        using System.Threading.Tasks;
        using Immortals.Orleans.StateMachines.Harness;
        namespace Flows;
        public sealed class Flow(LeafCalls calls)
        {
            public string Unrelated() => "unrelated".ToUpperInvariant() + calls.Count;

            public async Task<int> RunAsync()
            {
                var a = await calls.Call<int>("inc", 1);
                var c = await calls.Call<int>("inc", a);
                return a + c;
            }
        }
        """;

    private const string AddedLocal = """
        using System.Threading.Tasks;
        using Immortals.Orleans.StateMachines.Harness;
        namespace Flows;
        public sealed class Flow(LeafCalls calls)
        {
            public async Task<int> RunAsync()
            {
                var a = await calls.Call<int>("inc", 1);
                var extra = a * 3;
                var c = await calls.Call<int>("inc", a);
                return a + c + extra;
            }
        }
        """;

    // One more await of the same awaiter type and no new local: the same fields, other state numbers.
    private const string AddedAwait = """
        using System.Threading.Tasks;
        using Immortals.Orleans.StateMachines.Harness;
        namespace Flows;
        public sealed class Flow(LeafCalls calls)
        {
            public async Task<int> RunAsync()
            {
                await calls.Call<int>("inc", 0);
                var a = await calls.Call<int>("inc", 1);
                var c = await calls.Call<int>("inc", a);
                return a + c;
            }
        }
        """;

    public static TheoryData<OptimizationLevel> Optimizations() => new(OptimizationLevel.Release, OptimizationLevel.Debug);

    [Theory]
    [MemberData(nameof(Optimizations))]
    public void Unrelated_edit_still_rebuilds(OptimizationLevel optimization)
    {
        var (snapshot, calls) = CaptureOriginal(optimization);

        var rebuilt = Rebuild(snapshot, calls, UnrelatedEdit, optimization, out var leavesCreated);

        Assert.Equal(1, leavesCreated);
        Assert.Equal(2 + 3, rebuilt);
    }

    [Theory]
    [MemberData(nameof(Optimizations))]
    public void Added_local_is_detected(OptimizationLevel optimization)
    {
        var (snapshot, calls) = CaptureOriginal(optimization);

        var error = Assert.Throws<FrameRebuildException>(() => Rebuild(snapshot, calls, AddedLocal, optimization, out _));

        Assert.Equal("Flows.Flow.RunAsync", error.MethodName);
        Assert.True(error.IsCodeChange);
        Assert.Contains(error.Differences, d => d.StartsWith("field added", StringComparison.Ordinal) && d.Contains("local 'extra'"));
        Assert.Contains("Flows.Flow.RunAsync", error.Message);
    }

    [Theory]
    [MemberData(nameof(Optimizations))]
    public void Added_await_is_detected(OptimizationLevel optimization)
    {
        var (snapshot, calls) = CaptureOriginal(optimization);

        var error = Assert.Throws<FrameRebuildException>(() => Rebuild(snapshot, calls, AddedAwait, optimization, out _));

        Assert.Equal("Flows.Flow.RunAsync", error.MethodName);
        var difference = Assert.Single(error.Differences);
        Assert.StartsWith("MoveNext body changed", difference);
    }

    [Fact]
    public void Mismatch_creates_no_leaf()
    {
        var (snapshot, calls) = CaptureOriginal(OptimizationLevel.Release);
        var leavesCreated = 0;

        Assert.Throws<FrameRebuildException>(() => Rebuild(snapshot, calls, AddedLocal, OptimizationLevel.Release, out leavesCreated));

        Assert.Equal(0, leavesCreated);
    }

    private (byte[] Snapshot, LeafCall[] Calls) CaptureOriginal(OptimizationLevel optimization)
    {
        var assembly = WorkflowCompiler.Compile("Flows", Original, optimization);
        var calls = new LeafCalls();
        var flow = Activator.CreateInstance(assembly.GetType("Flows.Flow")!, calls)!;
        var scheduler = new ManualTaskScheduler(new Journal());
        var start = scheduler.Start(() => (Task)flow.GetType().GetMethod("RunAsync")!.Invoke(flow, null)!);
        scheduler.RunUntilIdle();

        var request = calls.AddLeaves(new FrameCaptureRequest { Owner = flow }).AddRoot(1, start.Result);
        return (fixture.Driver.Engine.Capture(request), calls.Save());
    }

    /// <summary>Rebuilds with <paramref name="source"/>, finishes the calls and returns RunAsync's result.</summary>
    private int Rebuild(byte[] snapshot, LeafCall[] saved, string source, OptimizationLevel optimization, out int leavesCreated)
    {
        var assembly = WorkflowCompiler.Compile("Flows", source, optimization);
        var calls = LeafCalls.Restore(saved);
        var flow = Activator.CreateInstance(assembly.GetType("Flows.Flow")!, calls)!;
        var scheduler = new ManualTaskScheduler(new Journal());
        var created = 0;
        var rebuild = fixture.Driver.Engine.RebuildAsync(
            snapshot,
            new FrameRebuildRequest
            {
                Owner = flow,
                Scheduler = scheduler,
                CreateLeaf = leaf =>
                {
                    created++;
                    return calls.CreateLeaf(leaf);
                },
                ResolveAssembly = name => name == "Flows" ? assembly : null,
            });
        scheduler.RunUntilIdle();
        leavesCreated = created;
        var root = (Task<int>)rebuild.GetAwaiter().GetResult()[1];

        while (calls.OldestPending() is { } next)
        {
            calls.Complete(next);
            scheduler.RunUntilIdle();
        }

        return root.GetAwaiter().GetResult();
    }
}
