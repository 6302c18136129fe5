using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// Task.WhenAll and Task.WhenAny across a rebuild: what the snapshot stores, which winner a rebuilt WhenAny
/// returns, and collections of tasks that keep referring to the rebuilt calls.
/// </summary>
public sealed class CombinatorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    public static TheoryData<string> Builds() => [.. WorkflowBuilds.Names];

    [Theory]
    [MemberData(nameof(Builds))]
    public void Pending_when_any_stores_its_calls(string build)
    {
        // Step 0 of "when-any-winner": WhenAny over calls 3, 1 and 2, in the order of the array.
        var checkpoint = fixture.Driver.RunAndCapture(build, "when-any-winner", 0)!;

        var description = fixture.Driver.Engine.Describe(checkpoint.Frames);

        Assert.Equal("Task.WhenAny of [leaf 3, leaf 1, leaf 2]", description.Frames[0].Awaits);
        Assert.Equal([1L, 2L, 3L], description.Leaves.Order());
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Pending_when_any_takes_first_rebuilt_completion(string build)
    {
        var straight = fixture.Driver.RunStraight(build, "when-any-winner");
        Assert.Equal("1 10 True 50", straight.Results[0]);
        var checkpoint = fixture.Driver.RunAndCapture(build, "when-any-winner", 0)!;

        var world = fixture.Driver.Rebuild(fixture.Driver.Load(fixture.Driver.Save(checkpoint)));
        world.Calls.Complete(3);
        ScenarioDriver.Drive(world, int.MaxValue);

        // Call 3 (square 5, element 0) completed first after the rebuild, so it wins.
        Assert.Equal("0 26 True 50", world.Outcome([], 0).Results[0]);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Observed_when_any_winner_is_kept(string build)
    {
        // Step 1: call 1 (element 1) won and the method awaits the call it made with the winner's result.
        var checkpoint = fixture.Driver.RunAndCapture(build, "when-any-winner", 1)!;
        Assert.Contains("winner 1", checkpoint.Journal);

        var world = fixture.Driver.Rebuild(fixture.Driver.Load(fixture.Driver.Save(checkpoint)));
        world.Calls.Complete(3);
        world.Calls.Complete(2);
        ScenarioDriver.Drive(world, int.MaxValue);

        Assert.Equal("1 10 True 50", world.Outcome([], 0).Results[0]);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void List_of_calls_refers_to_rebuilt_leaves(string build)
    {
        // Step 1 of "when-all-list": call 1 finished (a leaf all the same), calls 2 and 3 pending under
        // Task.WhenAll(tasks).
        var checkpoint = fixture.Driver.RunAndCapture(build, "when-all-list", 1)!;

        var description = fixture.Driver.Engine.Describe(checkpoint.Frames);
        var world = fixture.Driver.Rebuild(checkpoint);

        Assert.StartsWith("Task.WhenAllResults of [", description.Frames[0].Awaits);
        Assert.Contains(description.Frames[0].Locals, local => local.Value.StartsWith("List of [leaf 1, leaf 2, leaf 3]", StringComparison.Ordinal));
        Assert.False(world.Roots[0].IsCompleted);
        ScenarioDriver.Drive(world, int.MaxValue);
        Assert.Equal("2 4 9", world.Outcome([], 0).Results[0]);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Roots_found_through_combinators(string build)
    {
        // Step 0 of "nested-combinators": the root awaits WhenAll(WhenAny(call 1, call 2), call 3).
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "nested-combinators");
        ScenarioDriver.Drive(world, 0);

        var roots = AsyncFrameEngine.FindRoots([world.Calls.TaskOf(1), world.Calls.TaskOf(3)]);

        Assert.Same(world.Roots[0], Assert.Single(roots));
    }

    [Fact]
    public void Version_1_snapshot_still_rebuilds()
    {
        var checkpoint = fixture.Driver.RunAndCapture("Release", "loop", 1)!;
        var current = checkpoint.Frames;
        var valuesLength = FrameSnapshotCodec.Read(current).Values.Length;

        // Version 1 ends with the leaves, then the values. Version 2 inserts two empty sections (a 0 count each).
        var lengthBytes = 1;
        for (var rest = (uint)valuesLength >> 7; rest > 0; rest >>= 7)
        {
            lengthBytes++;
        }

        var sections = current.Length - valuesLength - lengthBytes - 2;
        Assert.Equal([0, 0], current[sections..(sections + 2)]);
        var version1 = current[..sections].Concat(current[(sections + 2)..]).ToArray();
        version1[4] = 1;

        var resumed = fixture.Driver.Resume(checkpoint with { Frames = version1 });

        Assert.Equal(2, FrameSnapshotCodec.FormatVersion);
        Assert.Equal(fixture.Driver.Resume(checkpoint).Describe(), resumed.Describe());
        Assert.Equal(fixture.Driver.RunStraight("Release", "loop").Results, resumed.Results);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void When_all_over_methods_stores_their_frames(string build)
    {
        // Step 1 of "when-all-methods": four InnerAsync frames, the first one past its first call.
        var checkpoint = fixture.Driver.RunAndCapture(build, "when-all-methods", 1)!;

        var description = fixture.Driver.Engine.Describe(checkpoint.Frames);

        Assert.Equal(5, description.Frames.Count);
        Assert.Equal("Task.WhenAllResults of [frame 1, frame 2, frame 3, frame 4]", description.Frames[0].Awaits);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void When_all_input_resuming_is_captured(string build)
    {
        // Step 0 of "when-all-mixed": calls 1 and 2 and InnerAsync's call 3 pending. Call 3 completes and the
        // continuation of InnerAsync is queued, not run, when the capture starts. The array local holds the tasks.
        var straight = fixture.Driver.RunStraight(build, "when-all-mixed");
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "when-all-mixed");
        ScenarioDriver.Drive(world, 0);
        world.Calls.Complete(3);
        Assert.True(world.Scheduler.HasQueuedTasks);

        var frames = fixture.Driver.Capture(world);

        var description = fixture.Driver.Engine.Describe(frames);
        Assert.Equal("Task.WhenAll of [leaf 1, leaf 2, frame 1]", description.Frames[0].Awaits);
        var checkpoint = new WorldCheckpoint(build, "when-all-mixed", frames, world.Calls.Save(), [.. world.Journal.Entries]);
        var resumed = fixture.Driver.Resume(fixture.Driver.Load(fixture.Driver.Save(checkpoint)));
        Assert.Equal(straight.Results, resumed.Results);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void When_all_input_unreachable_defers_capture(string build)
    {
        // Step 0 of "when-all-inline": no local holds InnerAsync's task, so while its continuation is queued the
        // capture cannot find it from any pending leaf or frame.
        var straight = fixture.Driver.RunStraight(build, "when-all-inline");
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "when-all-inline");
        ScenarioDriver.Drive(world, 0);
        world.Calls.Complete(2);
        Assert.True(world.Scheduler.HasQueuedTasks);

        var error = Assert.Throws<FrameCaptureDeferredException>(() => fixture.Driver.Capture(world));
        Assert.Contains("WhenAllInlineAsync", error.Failure.MethodName);

        // Once the queued continuation has run, InnerAsync awaits call 3 and the capture finds it from that leaf.
        world.Scheduler.RunUntilIdle();
        var frames = fixture.Driver.Capture(world);
        var checkpoint = new WorldCheckpoint(build, "when-all-inline", frames, world.Calls.Save(), [.. world.Journal.Entries]);
        var resumed = fixture.Driver.Resume(fixture.Driver.Load(fixture.Driver.Save(checkpoint)));
        Assert.Equal(straight.Results, resumed.Results);
    }
}
