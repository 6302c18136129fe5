using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>Captures the engine must reject, with a typed exception that names the method, the local and the type.</summary>
public sealed class CaptureErrorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string WorkflowsType = "Immortals.Orleans.StateMachines.Workflows.Workflows";

    [Theory]
    [MemberData(nameof(Builds))]
    public void Unserializable_local_is_named(string build)
    {
        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.RunAndCapture(build, "unserializable", 0));

        Assert.Equal(FrameCaptureFailure.UnserializableLocal, error.Failure);
        Assert.Equal(WorkflowsType + ".UnserializableAsync", error.MethodName);
        Assert.Equal("stream", error.LocalName);
        Assert.Equal("System.IO.MemoryStream", error.LocalType);
        Assert.Contains("'stream'", error.Message);
        Assert.Contains("UnserializableAsync", error.Message);
        Assert.Contains("System.IO.MemoryStream", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Unserializable_spill_is_explained(string build)
    {
        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.RunAndCapture(build, "unserializable-spill", 0));

        Assert.Equal(FrameCaptureFailure.UnserializableLocal, error.Failure);
        Assert.Equal(WorkflowsType + ".UnserializableSpillAsync", error.MethodName);
        Assert.Equal("System.IO.MemoryStream", error.LocalType);
        Assert.Contains("temporary value that the compiler keeps across an await", error.Message);
        Assert.Contains("await into a local of its own", error.Message);
        Assert.DoesNotContain("local '<>", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Foreach_enumerator_is_explained(string build)
    {
        // Steps 0 and 1 are in a loop over an array, which the compiler lowers to an index loop. Steps 2 to 5 are in
        // loops over a list and a dictionary, whose enumerators are kept across the await. Step 6 follows the loops.
        var outcomes = Enumerable.Range(0, 7).Select(step => CapturesAt(build, "foreach", step)).ToArray();
        Assert.Equal("captured captured rejected rejected rejected rejected captured", string.Join(" ", outcomes));
        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.RunAndCapture(build, "foreach", 2));

        Assert.Equal(FrameCaptureFailure.UnserializableLocal, error.Failure);
        Assert.Equal(WorkflowsType + ".ForeachAsync", error.MethodName);
        Assert.Contains("List`1+Enumerator", error.LocalType);
        Assert.Contains("a foreach loop is suspended at an await inside its body", error.Message);
        Assert.Contains("list.ToArray()", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Task_yield_is_rejected(string build)
    {
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "yield");
        ScenarioDriver.Drive(world, 0);
        world.Calls.Complete(1);

        // Runs the continuation up to Task.Yield, whose continuation is then queued on the scheduler.
        Assert.True(world.Scheduler.RunOne());

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Capture(world));
        Assert.Equal(FrameCaptureFailure.UnsupportedAwaiter, error.Failure);
        Assert.Equal(WorkflowsType + ".YieldAsync", error.MethodName);
        Assert.Contains("YieldAwaiter", error.LocalType);
        Assert.StartsWith("<>u__", error.LocalName);
        Assert.Contains("YieldAwaiter", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Task_delay_is_rejected(string build)
    {
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "delay");
        ScenarioDriver.Drive(world, 1);

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Capture(world));
        Assert.Equal(FrameCaptureFailure.UnsupportedAwaiter, error.Failure);
        Assert.Equal(WorkflowsType + ".DelayAsync", error.MethodName);
        Assert.Contains("DelayPromise", error.LocalType);
        Assert.Contains("neither a registered leaf nor the task of an async method", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Custom_awaiter_is_rejected(string build)
    {
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "custom-awaiter");
        ScenarioDriver.Drive(world, 1);

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Capture(world));
        Assert.Equal(FrameCaptureFailure.UnsupportedAwaiter, error.Failure);
        Assert.Equal(WorkflowsType + ".CustomAwaiterAsync", error.MethodName);
        Assert.Equal("Immortals.Orleans.StateMachines.Workflows.NeverAwaitable+Awaiter", error.LocalType);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Task_when_all_over_delay_is_rejected(string build)
    {
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "when-all-delay");
        ScenarioDriver.Drive(world, 1);

        // The Task.Delay is reachable from no leaf or local, which looks the same as an input whose completion is
        // still queued, so the capture asks to be retried and carries the error for when the retries run out.
        var deferred = Assert.Throws<FrameCaptureDeferredException>(() => fixture.Driver.Capture(world));
        var error = deferred.Failure;
        Assert.Equal(FrameCaptureFailure.UnsupportedAwaiter, error.Failure);
        Assert.Equal(WorkflowsType + ".WhenAllDelayAsync", error.MethodName);
        Assert.Contains("WhenAll", error.LocalType);
        Assert.Contains("WhenAll", error.Message);
    }

    [Theory]
    [MemberData(nameof(Builds))]
    public void Await_foreach_is_rejected(string build)
    {
        var world = ScenarioDriver.World.Start(WorkflowBuilds.Load(build), "await-foreach");
        ScenarioDriver.Drive(world, 1);

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Capture(world));
        Assert.Equal(WorkflowsType + ".AwaitForeachAsync", error.MethodName);
        Assert.Contains("ItemsAsync", error.LocalType);
        Assert.Contains("AwaitForeachAsync", error.Message);
    }

    [Fact]
    public void Running_inner_frame_is_rejected()
    {
        var scheduler = new ManualTaskScheduler(new Journal());
        var gate = new TaskCompletionSource<int>();
        Task? root = null;
        FrameCaptureException? error = null;

        async Task<int> InnerAsync()
        {
            await gate.Task;
            error = Assert.Throws<FrameCaptureException>(
                () => fixture.Driver.Engine.Capture(new FrameCaptureRequest().AddRoot(1, root!)));
            return 1;
        }

        async Task<int> OuterAsync()
        {
            var inner = await InnerAsync();
            return inner + 1;
        }

        scheduler.Start(() => root = OuterAsync());
        scheduler.RunUntilIdle();
        gate.SetResult(0);
        scheduler.RunUntilIdle();

        Assert.NotNull(error);
        Assert.Equal(FrameCaptureFailure.NotSuspended, error.Failure);
        Assert.Contains("InnerAsync", error.MethodName);
        Assert.Contains("running", error.Message);
    }

    [Fact]
    public void Capture_exception_crosses_serializer()
    {
        var serializer = HarnessSerializer.Create(typeof(FrameCaptureException).Assembly);
        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.RunAndCapture("Release", "unserializable", 0));

        var copy = Assert.IsType<FrameCaptureException>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(error)));

        Assert.Equal(error.Failure, copy.Failure);
        Assert.Equal(error.MethodName, copy.MethodName);
        Assert.Equal(error.LocalName, copy.LocalName);
        Assert.Equal(error.LocalType, copy.LocalType);
        Assert.Equal(error.Message, copy.Message);
    }

    [Fact]
    public void Task_without_state_machine_is_rejected()
    {
        var pending = new TaskCompletionSource<int>().Task;
        var request = new FrameCaptureRequest().AddRoot(7, pending);

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Engine.Capture(request));

        Assert.Equal(FrameCaptureFailure.NoCompilerStateMachine, error.Failure);
        Assert.Equal("root 7", error.MethodName);
        Assert.Contains("runtime-implemented async", error.Message);
    }

    [Fact]
    public void Method_without_state_machine_is_rejected()
    {
        var method = typeof(CaptureErrorTests).GetMethod(nameof(Task_without_state_machine_is_rejected))!;

        var error = Assert.Throws<FrameCaptureException>(() => AsyncFrameEngine.EnsureCompilerStateMachine(method));

        Assert.Equal(FrameCaptureFailure.NoCompilerStateMachine, error.Failure);
        AsyncFrameEngine.EnsureCompilerStateMachine(
            WorkflowBuilds.LoadAssembly("Release").GetType(WorkflowsType)!.GetMethod("LoopAsync")!);
    }

    [Fact]
    public void Root_that_is_running_is_rejected()
    {
        var scheduler = new ManualTaskScheduler(new Journal());
        var gate = new TaskCompletionSource<int>();
        Task? root = null;
        FrameCaptureException? error = null;

        async Task<int> CaptureSelfAsync()
        {
            await gate.Task;
            error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Engine.Capture(new FrameCaptureRequest().AddRoot(1, root!)));
            return 1;
        }

        scheduler.Start(() => root = CaptureSelfAsync());
        scheduler.RunUntilIdle();
        gate.SetResult(0);
        scheduler.RunUntilIdle();

        Assert.NotNull(error);
        Assert.Equal(FrameCaptureFailure.NotSuspended, error.Failure);
        Assert.Contains("running", error.Message);
    }

    public static TheoryData<string> Builds() => new(WorkflowBuilds.Names);

    private string CapturesAt(string build, string scenario, int step)
    {
        try
        {
            return fixture.Driver.RunAndCapture(build, scenario, step) is null ? "finished" : "captured";
        }
        catch (FrameCaptureException)
        {
            return "rejected";
        }
    }
}
