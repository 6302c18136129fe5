using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Status lookups by request id and reuse of request ids, without silo failures.</summary>
public sealed class RequestStatusTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Status_moves_from_running_to_succeeded()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "order-" + run.Id;
        TestGates.Arm(run.GateKey, 3);
        var started = ImmortalRequests.InvokeAsync(
            run.Workflow,
            requestId,
            workflow => workflow.Run(run.CounterKey, 5, run.GateKey, run.SinkKey));
        await TestGates.WaitReachedAsync(run.GateKey, 3);

        var running = await ImmortalRequests.GetStatusAsync(run.Workflow, requestId);
        TestGates.ReleaseAll(run.GateKey);
        var result = await started;
        var finished = await ImmortalRequests.GetStatusAsync(run.Workflow, requestId);

        Assert.Equal(ImmortalRequestState.Running, running.State);
        Assert.EndsWith(".IWorkflowGrain.Run", running.MethodName, StringComparison.Ordinal);
        Assert.False(running.CancellationRequested);
        Assert.Null(running.Result);
        Assert.Equal(15, result);
        Assert.Equal(ImmortalRequestState.Succeeded, finished.State);
        Assert.Equal(15, finished.Result);
        Assert.Null(finished.ErrorType);
        Assert.NotNull(finished.ExpiresAt);
    }

    [Fact]
    public async Task Failed_status_shows_error_summary()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "fail-" + run.Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() => ImmortalRequests.InvokeAsync(
            run.Counter,
            requestId,
            counter => counter.ThrowAtOnce("card declined")));
        var status = await ImmortalRequests.GetStatusAsync(run.Counter, requestId);

        Assert.Equal(ImmortalRequestState.Failed, status.State);
        Assert.Equal(typeof(InvalidOperationException).FullName, status.ErrorType);
        Assert.Equal("card declined", status.ErrorMessage);
        Assert.EndsWith(".ICounterGrain.ThrowAtOnce", status.MethodName, StringComparison.Ordinal);
        Assert.Null(status.Result);
    }

    [Fact]
    public async Task Unknown_id_reads_unknown()
    {
        var run = new WorkflowRun(_cluster.Client);

        var status = await ImmortalRequests.GetStatusAsync(run.Workflow, "never-used-" + run.Id);

        Assert.Equal(ImmortalRequestState.Unknown, status.State);
        Assert.Null(status.MethodName);
    }

    [Fact]
    public async Task Request_behind_delivered_call_reads_pending()
    {
        // The workflow's call to counter A holds the counter's lock while it waits at gate 1. A client request
        // to the counter then waits for that lock: stored, but not started.
        var run = new WorkflowRun(_cluster.Client);
        var counterA = "a-" + run.Id;
        var counter = _cluster.Client.GetGrain<ICounterGrain>(counterA);
        var requestId = "add-" + run.Id;
        TestGates.Arm(run.GateKey, 1);
        var workflow = run.Workflow.AwaitTwo(counterA, "b-" + run.Id, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);
        var added = ImmortalRequests.InvokeAsync(counter, requestId, grain => grain.Add(5));

        var pending = await Eventually.GetAsync(
            () => ImmortalRequests.GetStatusAsync(counter, requestId),
            status => status.State != ImmortalRequestState.Unknown);
        TestGates.ReleaseAll(run.GateKey);
        var count = await added;
        var finished = await ImmortalRequests.GetStatusAsync(counter, requestId);

        Assert.Equal(ImmortalRequestState.Pending, pending.State);
        Assert.EndsWith(".ICounterGrain.Add", pending.MethodName, StringComparison.Ordinal);
        Assert.Equal(6, count);
        Assert.Equal(ImmortalRequestState.Succeeded, finished.State);
        Assert.Equal(11, await workflow);
    }

    [Fact]
    public async Task Conflicting_reuse_while_running_changes_nothing()
    {
        // A reentrant grain lets the second request in while the first is suspended; a non-reentrant grain would
        // queue it in Orleans until the first finished.
        var run = new WorkflowRun(_cluster.Client);
        var workflow = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + run.Id);
        var requestId = "order-" + run.Id;
        TestGates.Arm(run.GateKey, 2);
        var started = ImmortalRequests.InvokeAsync(
            workflow,
            requestId,
            grain => grain.Run(run.CounterKey, 3, run.GateKey, run.SinkKey));
        await TestGates.WaitReachedAsync(run.GateKey, 2);

        var otherArguments = await Assert.ThrowsAsync<ImmortalRequestIdConflictException>(
            () => ImmortalRequests.InvokeAsync(
                workflow,
                requestId,
                grain => grain.Run(run.CounterKey, 4, run.GateKey, run.SinkKey)));
        var otherMethod = await Assert.ThrowsAsync<ImmortalRequestIdConflictException>(
            () => ImmortalRequests.InvokeAsync(workflow, requestId, grain => grain.Add(run.CounterKey, 100)));
        var during = await ImmortalRequests.GetStatusAsync(workflow, requestId);
        TestGates.ReleaseAll(run.GateKey);
        var result = await started;

        Assert.Contains(requestId, otherArguments.Message, StringComparison.Ordinal);
        Assert.EndsWith(".IReentrantWorkflowGrain.Add", otherMethod.MethodName, StringComparison.Ordinal);
        Assert.Equal(ImmortalRequestState.Running, during.State);
        Assert.EndsWith(".IReentrantWorkflowGrain.Run", during.MethodName, StringComparison.Ordinal);
        Assert.Equal(6, result);
        Assert.Equal(3, await run.Counter.GetCount());
        Assert.Equal(0, await workflow.GetTotal());
    }

    [Fact]
    public async Task Conflicting_reuse_after_finish_changes_nothing()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "order-" + run.Id;
        await ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(2));

        await Assert.ThrowsAsync<ImmortalRequestIdConflictException>(
            () => ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(3)));
        var retried = await ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(2));
        var status = await ImmortalRequests.GetStatusAsync(run.Counter, requestId);

        Assert.Equal(2, retried);
        Assert.Equal(2, await run.Counter.GetCount());
        Assert.Equal(ImmortalRequestState.Succeeded, status.State);
        Assert.Equal(2, status.Result);
    }

    [Fact]
    public async Task Status_of_ordinary_grain_is_rejected()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ImmortalRequests.GetStatusAsync(
            _cluster.Client.GetGrain<IRelayGrain>("relay-" + Guid.NewGuid().ToString("N")),
            "any"));

        Assert.Contains(nameof(IImmortalGrain), error.Message, StringComparison.Ordinal);
    }
}
