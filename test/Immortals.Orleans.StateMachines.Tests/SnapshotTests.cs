using System.Reflection;
using System.Runtime.CompilerServices;
using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>Snapshot content, validation, reference identity, scheduling and root discovery.</summary>
public sealed class SnapshotTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static List<string> NotesOf(IWorkflowOwner owner) =>
        (List<string>)owner.GetType().GetProperty("Notes")!.GetValue(owner)!;

    [Fact]
    public void Describe_lists_frames_states_and_locals()
    {
        // Step 2 of "nested": NestedAsync > LevelTwoAsync > LevelThreeAsync > LevelFourAsync > call 3.
        var checkpoint = fixture.Driver.RunAndCapture("Release", "nested", 2)!;

        var description = fixture.Driver.Engine.Describe(checkpoint.Frames);

        Assert.Equal(FrameSnapshotCodec.FormatVersion, description.FormatVersion);
        Assert.Equal(checkpoint.Frames.Length, description.SizeInBytes);
        Assert.Equal(
            [
                "Immortals.Orleans.StateMachines.Workflows.Workflows.NestedAsync",
                "Immortals.Orleans.StateMachines.Workflows.Workflows.LevelTwoAsync",
                "Immortals.Orleans.StateMachines.Workflows.Workflows.LevelThreeAsync",
                "Immortals.Orleans.StateMachines.Workflows.Workflows.LevelFourAsync",
            ],
            description.Frames.Select(f => f.Method));
        Assert.Equal("frame 0", description.Roots[1]);
        Assert.Equal(["frame 1", "frame 2", "frame 3", "leaf 3"], description.Frames.Select(f => f.Awaits));
        Assert.Equal([3L], description.Leaves);

        var nested = description.Frames[0];
        Assert.Contains(nested.Locals, l => l.Name == "this" && l.Value == "(owner)");
        Assert.Contains(nested.Locals, l => l.Name == "label" && l.Value == "\"n5\"");
        var three = description.Frames[2];
        Assert.Contains(three.Locals, l => l.Name == "owner" && l.Value == "(owner)");
        Assert.Contains(three.Locals, l => l.Name == "raised" && l.Value == "13" && l.Type == "System.Int32");
        Assert.Contains("LevelFourAsync at state 1, awaits leaf 3", description.ToString());
    }

    [Fact]
    public void Damaged_snapshot_is_rejected()
    {
        var checkpoint = fixture.Driver.RunAndCapture("Release", "loop", 1)!;
        var truncated = checkpoint with { Frames = checkpoint.Frames[..(checkpoint.Frames.Length / 2)] };
        var otherVersion = checkpoint with { Frames = (byte[])checkpoint.Frames.Clone() };
        otherVersion.Frames[4] = 99;
        var notSnapshot = checkpoint with { Frames = [1, 2, 3, 4, 5, 6] };

        Assert.Throws<FrameRebuildException>(() => fixture.Driver.Rebuild(truncated));
        var version = Assert.Throws<FrameRebuildException>(() => fixture.Driver.Rebuild(otherVersion));
        Assert.Contains("format version 99", version.Message);
        var header = Assert.Throws<FrameRebuildException>(() => fixture.Driver.Rebuild(notSnapshot));
        Assert.Contains("not a frame snapshot", header.Message);
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Same_snapshot_rebuilds_twice(string build)
    {
        var straight = fixture.Driver.RunStraight(build, "nested");
        var checkpoint = fixture.Driver.RunAndCapture(build, "nested", 2)!;

        var first = fixture.Driver.Rebuild(checkpoint);
        var second = fixture.Driver.Rebuild(checkpoint);
        var firstCompletions = ScenarioDriver.Drive(first, int.MaxValue);
        var secondCompletions = ScenarioDriver.Drive(second, int.MaxValue);

        Assert.Equal(straight.Describe(), first.Outcome(checkpoint.Journal, firstCompletions).Describe());
        Assert.Equal(straight.Describe(), second.Outcome(checkpoint.Journal, secondCompletions).Describe());
        Assert.NotSame(first.Roots[0], second.Roots[0]);
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Owner_field_stays_shared_with_owner(string build)
    {
        var straight = fixture.Driver.RunStraight(build, "owner-field");
        Assert.EndsWith(" True", straight.Results[0]);

        for (var step = 0; step < straight.Completions; step++)
        {
            var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "owner-field");
            ScenarioDriver.Drive(world, step);
            var frames = fixture.Driver.Capture(world);
            var savedNotes = NotesOf(world.Owner).ToArray();
            var checkpoint = new WorldCheckpoint(build, "owner-field", frames, world.Calls.Save(), world.Journal.Entries.ToArray());

            // The owner's fields are restored before the rebuild, as the grain runtime restores them.
            var rebuilt = fixture.Driver.Rebuild(checkpoint, owner => NotesOf(owner).AddRange(savedNotes));
            var completions = ScenarioDriver.Drive(rebuilt, int.MaxValue);

            Assert.Equal($"step {step}: {straight.Describe()}", $"step {step}: {rebuilt.Outcome(checkpoint.Journal, completions).Describe()}");
        }
    }

    [Theory]
    [InlineData("Release", "nested", 2)]
    [InlineData("Debug", "closures", 1)]
    [InlineData("Release", "values", 1)]
    [InlineData("Debug", "early-task", 2)]
    public void Every_damaged_byte_is_rejected_cleanly(string build, string scenario, int step)
    {
        var checkpoint = fixture.Driver.RunAndCapture(build, scenario, step)!;
        var unexpected = new List<string>();

        for (var position = 0; position < checkpoint.Frames.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = checkpoint with { Frames = (byte[])checkpoint.Frames.Clone() };
                damaged.Frames[position] ^= mask;
                try
                {
                    fixture.Driver.Rebuild(damaged);
                }
                catch (FrameRebuildException)
                {
                }
                catch (Exception exception)
                {
                    unexpected.Add($"byte {position} ^ 0x{mask:X2}: {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        Assert.True(unexpected.Count == 0, string.Join(Environment.NewLine, unexpected.Take(20)));
    }

    [Fact]
    public void Leaf_of_wrong_type_is_rejected()
    {
        var checkpoint = fixture.Driver.RunAndCapture("Release", "loop", 1)!;
        var scheduler = new ManualTaskScheduler(new Journal());
        var owner = WorkflowBuilds.Load("Release").CreateOwner(new LeafCalls(), new Journal());

        var rebuild = fixture.Driver.Engine.RebuildAsync(
            checkpoint.Frames,
            new FrameRebuildRequest { Owner = owner, Scheduler = scheduler, CreateLeaf = _ => Task.FromResult("text") });
        scheduler.RunUntilIdle();

        var error = Assert.Throws<FrameRebuildException>(() => rebuild.GetAwaiter().GetResult());
        Assert.Contains("leaf 2", error.Message);
        Assert.Contains("Task<System.Int32>", error.Message);
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Shared_references_stay_shared(string build)
    {
        // Step 1 of "values": ValuesAsync awaits AppendAsync, which awaits call 2. "orders" and "sameOrders" in the
        // outer frame and the parameter "list" of the inner frame are one list.
        var world = fixture.Driver.Rebuild(fixture.Driver.RunAndCapture(build, "values", 1)!);

        var outer = AsyncRuntimeLayout.GetStateMachine(world.Roots[0])!;
        var orders = Field(outer, "<orders>5__");
        var inner = AsyncRuntimeLayout.GetStateMachine(ActiveAwaitedTask(outer))!;
        var list = Field(inner, "list");

        Assert.IsType<List<Order>>(orders);
        Assert.Same(orders, list);
        if (build == "Debug")
        {
            // The optimized build does not keep "sameOrders": after the first await only "orders" is used.
            Assert.Same(orders, Field(outer, "<sameOrders>5__"));
        }
    }

    [Fact]
    public void Rebuilt_frames_resume_on_scheduler()
    {
        var world = fixture.Driver.Rebuild(fixture.Driver.RunAndCapture("Release", "loop", 1)!);
        var journalBefore = world.Journal.Entries.Count;

        world.Calls.Complete(2);

        Assert.Equal(journalBefore, world.Journal.Entries.Count);
        Assert.True(world.Scheduler.HasQueuedTasks);
        world.Scheduler.RunUntilIdle();
        Assert.Equal(["loop 1: 1"], world.Journal.Entries.Skip(journalBefore));
    }

    [Fact]
    public async Task Find_roots_honours_frame_roles()
    {
        // Step 3 of "leaves": LeavesAsync awaits InvokeWithFilterAsync, which awaits call 4.
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load("Release"), "leaves");
        var boundary = world.Scheduler.Start(() => CompleteInvokeAsync((Task<string>)world.Roots[0]));
        ScenarioDriver.Drive(world, 3);
        var leaf = world.Calls.TaskOf(4);

        var captured = AsyncFrameEngine.FindRoots([leaf], Classify);
        var unclassified = AsyncFrameEngine.FindRoots([leaf]);

        Assert.Same(world.Roots[0], Assert.Single(captured));
        Assert.True(boundary.IsCompletedSuccessfully);
        Assert.Same(await boundary, Assert.Single(unclassified));

        static FrameRole Classify(AsyncMethodIdentity method) => method.Method == nameof(CompleteInvokeAsync)
            ? FrameRole.Boundary
            : LeafCalls.Classify(method);
    }

    [Fact]
    public void Pass_through_local_refers_to_leaf()
    {
        // Step 0 of "early-task": "filtered" contains the pass-through wrapper of call 2, not yet awaited.
        var checkpoint = fixture.Driver.RunAndCapture("Release", "early-task", 0)!;

        var description = fixture.Driver.Engine.Describe(checkpoint.Frames);

        var root = description.Frames[0];
        Assert.Contains(root.Locals, l => l.Name == "early" && l.Value == "leaf 1");
        Assert.Contains(root.Locals, l => l.Name == "filtered" && l.Value == "leaf 2");
        Assert.Contains(root.Locals, l => l.Name == "inner" && l.Value.StartsWith("frame ", StringComparison.Ordinal));
    }

    [Fact]
    public void Finished_task_local_keeps_outcome()
    {
        // Step 2 of "early-task": calls 1 and 2 completed; "filtered" contains the finished pass-through wrapper.
        var checkpoint = fixture.Driver.RunAndCapture("Release", "early-task", 2)!;

        var root = fixture.Driver.Engine.Describe(checkpoint.Frames).Frames[0];

        Assert.Contains(root.Locals, l => l.Name == "early" && l.Value == "leaf 1");
        Assert.Contains(root.Locals, l => l.Name == "filtered" && l.Value == "completed task: 101");
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Finished_tasks_keep_outcomes(string build)
    {
        // Step 0 of "finished-locals": three finished tasks that are not calls, and one pending frame.
        var checkpoint = fixture.Driver.RunAndCapture(build, "finished-locals", 0)!;

        var root = fixture.Driver.Engine.Describe(checkpoint.Frames).Frames[0];

        Assert.Contains(root.Locals, l => l.Name == "succeeded" && l.Value == "completed task: 40");
        Assert.Contains(root.Locals, l => l.Name == "faulted" && l.Value == "faulted task: InvalidOperationException: early failure");
        Assert.Contains(root.Locals, l => l.Name == "canceled" && l.Value == "canceled task");
        Assert.Contains(root.Locals, l => l.Name == "finished" && l.Value == "frame 1");
    }

    [Theory]
    [InlineData("Release")]
    [InlineData("Debug")]
    public void Closures_are_stored_field_by_field(string build)
    {
        // Step 0 of "closures": ClosuresAsync awaits the local function ScaleAsync, which awaits call 1.
        var checkpoint = fixture.Driver.RunAndCapture(build, "closures", 0)!;

        var frames = fixture.Driver.Engine.Describe(checkpoint.Frames).Frames;

        // The local function captures locals, so the compiler declares it on the closure class.
        Assert.Equal(2, frames.Count);
        Assert.Equal("Immortals.Orleans.StateMachines.Workflows.Workflows.ClosuresAsync", frames[0].Method);
        Assert.Matches(
            @"^Immortals\.Orleans\.StateMachines\.Workflows\.Workflows\+<>c__DisplayClass\d+_\d+\.ClosuresAsync\.ScaleAsync \(local function\)$",
            frames[1].Method);
        var closure = Assert.Single(frames[0].Locals, l => l.Value.StartsWith("closure ", StringComparison.Ordinal));
        Assert.Contains("<>c__DisplayClass", closure.Value);
        Assert.Contains(frames[1].Locals, l => l.Value == closure.Value);
    }

    [Fact]
    public void Capture_free_lambda_uses_cache()
    {
        // Step 2 of "closures": the last lambda captures nothing, so the compiler declares it on the lambda cache
        // class <>c; the unoptimized build keeps that singleton as the state machine's "this".
        var checkpoint = fixture.Driver.RunAndCapture("Debug", "closures", 2)!;

        var frames = fixture.Driver.Engine.Describe(checkpoint.Frames).Frames;

        Assert.Equal("Immortals.Orleans.StateMachines.Workflows.Workflows+<>c.ClosuresAsync (lambda)", frames[1].Method);
        Assert.Contains(frames[1].Locals, l => l.Name == "this" && l.Value == "(lambda cache)");
    }

    private static async Task<string> CompleteInvokeAsync(Task<string> root) => "response " + await root;

    private static object? Field(object machine, string prefix) =>
        machine.GetType().GetFields(Fields).Single(f => f.Name.StartsWith(prefix, StringComparison.Ordinal)).GetValue(machine);

    private static Task ActiveAwaitedTask(object machine)
    {
        foreach (var field in machine.GetType().GetFields(Fields).Where(f => f.Name.StartsWith("<>u__", StringComparison.Ordinal)))
        {
            if (AwaiterShape.For(field.FieldType)?.GetAwaited(field.GetValue(machine)!) is Task task)
            {
                return task;
            }
        }

        throw new InvalidOperationException("The frame awaits nothing.");
    }
}
