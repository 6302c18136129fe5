using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Task locals, exceptions, parallel awaits, ordinary grains and request ids across silo kills.</summary>
public sealed class FailureSemanticsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Task_local_survives_kill_between_calls(int step)
    {
        var run = new WorkflowRun(_cluster.Client);
        var counterA = "a-" + run.Id;
        var counterB = "b-" + run.Id;
        TestGates.Arm(run.GateKey, step);
        var started = run.Workflow.RunWithTaskLocal(counterA, counterB, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, step);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("121", await run.WaitForReportAsync());
        Assert.Equal(1, await _cluster.Client.GetGrain<ICounterGrain>(counterA).GetCount());
        Assert.Equal(110, await _cluster.Client.GetGrain<ICounterGrain>(counterB).GetCount());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Local_and_field_stay_one_object_after_recovery()
    {
        var run = new WorkflowRun(_cluster.Client);
        TestGates.Arm(run.GateKey, 1);
        var started = run.Workflow.AppendThroughLocal(run.CounterKey, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("1", await run.WaitForReportAsync());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Unserializable_local_fails_its_root()
    {
        var run = new WorkflowRun(_cluster.Client);

        var error = await Assert.ThrowsAsync<ImmortalCheckpointException>(
            () => run.Workflow.HoldUnserializable(run.CounterKey));

        Assert.Contains("holder", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UnserializableHolder), error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await run.Workflow.Run(run.CounterKey, 2, run.GateKey, run.SinkKey));
    }

    [Fact]
    public async Task Callee_exception_is_caught_once()
    {
        var run = new WorkflowRun(_cluster.Client);

        var caught = await run.Workflow.CatchFailure(run.CounterKey, run.GateKey, run.SinkKey);

        Assert.Equal(1, caught);
        Assert.Equal("1:expected failure", await run.WaitForReportAsync());
    }

    [Fact]
    public async Task Callee_exception_after_recovery_is_caught_once()
    {
        var run = new WorkflowRun(_cluster.Client);
        TestGates.Arm(run.GateKey, 1);
        var started = run.Workflow.CatchFailure(run.CounterKey, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("1:expected failure", await run.WaitForReportAsync());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Two_pending_calls_both_resume()
    {
        var run = new WorkflowRun(_cluster.Client);
        var counterA = "a-" + run.Id;
        var counterB = "b-" + run.Id;
        TestGates.Arm(run.GateKey, 1);
        TestGates.Arm(run.GateKey, 2);
        var started = run.Workflow.AwaitTwo(counterA, counterB, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);
        await TestGates.WaitReachedAsync(run.GateKey, 2);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("11", await run.WaitForReportAsync());
        Assert.Equal(1, await _cluster.Client.GetGrain<ICounterGrain>(counterA).GetCount());
        Assert.Equal(10, await _cluster.Client.GetGrain<ICounterGrain>(counterB).GetCount());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Ordinary_grain_between_immortals_calls_twice()
    {
        var run = new WorkflowRun(_cluster.Client);

        var count = await ImmortalRequests.InvokeAsync(
            run.Workflow,
            "request-" + run.Id,
            workflow => workflow.CallThroughOrdinary("relay-" + run.Id, run.CounterKey));

        Assert.Equal(2, count);
        Assert.Equal(2, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Ordinary_call_is_sent_again_after_recovery()
    {
        var run = new WorkflowRun(_cluster.Client);
        TestGates.Arm(run.GateKey, 4);
        var started = run.Start(6);
        await TestGates.WaitReachedAsync(run.GateKey, 4);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("21", await run.WaitForReportAsync());
        Assert.Equal(2, TestGates.PassCount(run.GateKey, 4));
        Assert.Equal(1, TestGates.PassCount(run.GateKey, 5));
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Request_id_retry_after_kill_returns_original_result()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "request-" + run.Id;
        TestGates.Arm(run.GateKey, 5);
        var started = ImmortalRequests.InvokeAsync(
            run.Workflow,
            requestId,
            workflow => workflow.Run(run.CounterKey, 10, run.GateKey, run.SinkKey));
        await TestGates.WaitReachedAsync(run.GateKey, 5);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));
        await ObserveAsync(started);
        var retried = await ImmortalRequests.InvokeAsync(
            run.Workflow,
            requestId,
            workflow => workflow.Run(run.CounterKey, 10, run.GateKey, run.SinkKey));
        var again = await ImmortalRequests.InvokeAsync(
            run.Workflow,
            requestId,
            workflow => workflow.Run(run.CounterKey, 10, run.GateKey, run.SinkKey));

        Assert.Equal(55, retried);
        Assert.Equal(55, again);
        Assert.Equal(10, await run.Counter.GetCount());
        Assert.Equal("55", await run.WaitForReportAsync());
    }

    [Fact]
    public async Task Request_id_with_other_arguments_is_rejected()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "request-" + run.Id;
        await ImmortalRequests.InvokeAsync(run.Workflow, requestId, w => w.Run(run.CounterKey, 2, run.GateKey, run.SinkKey));

        await Assert.ThrowsAsync<ImmortalRequestIdConflictException>(() => ImmortalRequests.InvokeAsync(
            run.Workflow,
            requestId,
            w => w.Run(run.CounterKey, 3, run.GateKey, run.SinkKey)));
        Assert.Equal(2, await run.Counter.GetCount());
    }

    private async Task ObserveAsync(Task started)
    {
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The original request may fail with its silo; the test checks the reports and counts.
        }

        await _cluster.EnsureSilosAsync(3);
    }
}
