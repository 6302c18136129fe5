using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Stored cancel requests, observed through the method's token, also across silo kills.</summary>
public sealed class CancellationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Steps = 5;
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Cancel_runs_compensation_once()
    {
        var order = NewOrder();
        TestGates.Arm(order.GateKey, 2);
        var started = order.Start();
        await TestGates.WaitReachedAsync(order.GateKey, 2);

        var requested = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);
        var again = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);
        TestGates.Release(order.GateKey, 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        var status = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);
        Assert.Equal(ImmortalRequestState.Running, requested.State);
        Assert.True(requested.CancellationRequested);
        Assert.True(again.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Canceled, status.State);
        Assert.True(status.CancellationRequested);
        Assert.Equal(["work:1", "work:2", "work:undo-2", "work:compensated"], await order.Journal.GetEntries());
    }

    [Fact]
    public async Task Cancel_while_silo_down_is_observed_after_recovery()
    {
        var order = NewOrder();
        TestGates.Arm(order.GateKey, 2);
        TestGates.Arm(order.GateKey, OrderSagaGrain.CompensationGate);
        var started = order.Start();
        await TestGates.WaitReachedAsync(order.GateKey, 2);

        // The silo dies while the method waits at gate 2. The call to gate 2 is sent again after recovery and waits
        // at the rearmed gate, so the method cannot pass its token check before the test releases it.
        await _cluster.KillSiloOfAsync(order.Saga, () => TestGates.ReleaseAndRearm(order.GateKey, 2));
        var requested = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);
        await TestGates.WaitReachedAsync(order.GateKey, 2);
        TestGates.Release(order.GateKey, 2);

        // A second kill inside the compensation, between its two calls.
        await TestGates.WaitReachedAsync(order.GateKey, OrderSagaGrain.CompensationGate);
        await _cluster.KillSiloOfAsync(
            order.Saga,
            () => TestGates.Release(order.GateKey, OrderSagaGrain.CompensationGate));
        var status = await Eventually.GetAsync(
            () => ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId),
            status => status.State == ImmortalRequestState.Canceled);

        Assert.Equal(ImmortalRequestState.Running, requested.State);
        Assert.True(requested.CancellationRequested);
        Assert.Equal(typeof(OperationCanceledException).FullName, status.ErrorType);
        Assert.Equal(["work:1", "work:2", "work:undo-2", "work:compensated"], await order.Journal.GetEntries());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => order.Start());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Canceled_call_token_leaves_method_running()
    {
        // Canceling the token of the Orleans call is not stored, so it must not reach the immortal method.
        var order = NewOrder();
        TestGates.Arm(order.GateKey, 2);
        using var callToken = new CancellationTokenSource();
        var started = ImmortalRequests.InvokeAsync(
            order.Saga,
            order.RequestId,
            saga => saga.Process(order.Id, order.GateKey, Steps, callToken.Token));
        await TestGates.WaitReachedAsync(order.GateKey, 2);

        await callToken.CancelAsync();
        var afterCallCanceled = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);
        TestGates.Release(order.GateKey, 2);
        var finished = await Eventually.GetAsync(
            () => ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId),
            status => status.State != ImmortalRequestState.Running);

        Assert.Equal(ImmortalRequestState.Running, afterCallCanceled.State);
        Assert.False(afterCallCanceled.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Succeeded, finished.State);
        Assert.Equal(Steps, finished.Result);
        Assert.Equal(Steps, (await order.Journal.GetEntries()).Count);
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Other_token_cancellation_reads_failed()
    {
        var order = NewOrder();
        TestGates.Arm(order.GateKey, 1);
        var started = ImmortalRequests.InvokeAsync(
            order.Saga,
            order.RequestId,
            saga => saga.ThrowInnerCancellation(order.GateKey, CancellationToken.None));
        await TestGates.WaitReachedAsync(order.GateKey, 1);

        var requested = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);
        TestGates.Release(order.GateKey, 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        var status = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);

        Assert.True(requested.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Failed, status.State);
        Assert.True(status.CancellationRequested);
        Assert.Equal(typeof(OperationCanceledException).FullName, status.ErrorType);
    }

    [Fact]
    public async Task Cancel_of_finished_id_stores_nothing()
    {
        var order = NewOrder();
        var result = await order.Start();

        var finished = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);

        Assert.Equal(Steps, result);
        Assert.Equal(ImmortalRequestState.Succeeded, finished.State);
        Assert.False(finished.CancellationRequested);
        Assert.Equal(Steps, finished.Result);
        Assert.Equal(Steps, await order.Start());
        Assert.Equal(Steps, (await order.Journal.GetEntries()).Count);
    }

    [Fact]
    public async Task Cancel_before_request_cancels_it_on_arrival()
    {
        var order = NewOrder();

        var ahead = await ImmortalRequests.CancelAsync(order.Saga, order.RequestId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => order.Start());
        var status = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);

        Assert.Equal(ImmortalRequestState.Unknown, ahead.State);
        Assert.True(ahead.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Canceled, status.State);
        Assert.Equal(["work:1", "work:undo-1", "work:compensated"], await order.Journal.GetEntries());
    }

    [Fact]
    public async Task Cancel_of_request_queued_by_orleans_is_kept()
    {
        // The first request keeps the non-reentrant grain busy at gate 2, so Orleans queues the second request
        // before it reaches the grain. The cancel request overtakes it.
        var first = NewOrder();
        var queued = new SagaRun(_cluster.Client, first.Id + "-queued", first.Saga);
        TestGates.Arm(first.GateKey, 2);
        var running = first.Start();
        await TestGates.WaitReachedAsync(first.GateKey, 2);
        var waiting = queued.Start();

        var requested = await ImmortalRequests.CancelAsync(queued.Saga, queued.RequestId);
        TestGates.Release(first.GateKey, 2);

        Assert.Equal(Steps, await running);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        var status = await ImmortalRequests.GetStatusAsync(queued.Saga, queued.RequestId);
        Assert.Equal(ImmortalRequestState.Unknown, requested.State);
        Assert.True(requested.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Canceled, status.State);
        Assert.Equal(["work:1", "work:undo-1", "work:compensated"], await queued.Journal.GetEntries());
    }

    [Fact]
    public async Task Lookup_and_cancel_leave_delayed_method_alone()
    {
        // A method suspended at Task.Delay cannot be checkpointed. A lookup requests no write, and a cancel request
        // that would need one is rejected instead of failing the method.
        var order = NewOrder();
        TestGates.Arm(order.GateKey, 1);
        var started = ImmortalRequests.InvokeAsync(
            order.Saga,
            order.RequestId,
            saga => saga.DelayThenPerform(order.Id, order.GateKey, 4000, CancellationToken.None));
        // The method marks the gate in the turn in which it starts its delay, and the lookup runs in a later turn.
        await TestGates.WaitReachedAsync(order.GateKey, 1);
        var during = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ImmortalRequests.CancelAsync(order.Saga, order.RequestId));
        var result = await started;
        var finished = await ImmortalRequests.GetStatusAsync(order.Saga, order.RequestId);

        Assert.Equal(ImmortalRequestState.Unknown, during.State);
        Assert.False(during.CancellationRequested);
        Assert.Contains("cannot be stored now", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, result);
        Assert.Equal(ImmortalRequestState.Succeeded, finished.State);
        Assert.False(finished.CancellationRequested);
    }

    [Fact]
    public async Task Canceled_wait_carries_method_token()
    {
        var grain = _cluster.Client.GetGrain<IWaitingGrain>("waiting-" + Guid.NewGuid().ToString("N"));
        var started = ImmortalRequests.InvokeAsync(
            grain,
            "describe",
            waiter => waiter.DescribeCanceledWait("never", CancellationToken.None));
        await WaitUntilRunningAsync(grain, "describe");

        await ImmortalRequests.CancelAsync(grain, "describe");

        Assert.Equal(
            "first token True, first canceled True, second token True, second canceled True",
            await started.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Cancel_rejected_during_unsettled_capture()
    {
        // Another method awaits Task.WhenAll over plain delays, so the write that would store the cancel request is
        // retried until it gives up. The request must then be rejected, stored by no later write, and accepted
        // once the other method has finished.
        var grain = _cluster.Client.GetGrain<IWaitingGrain>("waiting-" + Guid.NewGuid().ToString("N"));
        var started = ImmortalRequests.InvokeAsync(
            grain,
            "unsettled",
            waiter => waiter.DescribeCanceledWait("never", CancellationToken.None));
        await WaitUntilRunningAsync(grain, "unsettled");
        var plain = grain.PlainWhenAll(3000);
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ImmortalRequests.CancelAsync(grain, "unsettled"));
        await plain;
        await ImmortalSignals.SendAsync(grain, "unrelated", "forces a write");
        var afterWrite = await ImmortalRequests.GetStatusAsync(grain, "unsettled");
        var accepted = await ImmortalRequests.CancelAsync(grain, "unsettled");

        Assert.Contains("cannot be stored now", error.Message, StringComparison.Ordinal);
        Assert.False(afterWrite.CancellationRequested);
        Assert.True(accepted.CancellationRequested);
        Assert.StartsWith("first token True", await started.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
    }

    private static Task WaitUntilRunningAsync(IAddressable grain, string requestId) => Eventually.GetAsync(
        () => ImmortalRequests.GetStatusAsync(grain, requestId),
        status => status.State == ImmortalRequestState.Running,
        TimeSpan.FromSeconds(30));

    private SagaRun NewOrder() => new(_cluster.Client);

    private async Task ObserveAsync(Task started)
    {
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The original request may fail with its silo; the test checks the journal and the status.
        }
    }

    private sealed class SagaRun
    {
        public SagaRun(IClusterClient client)
            : this(client, Guid.NewGuid().ToString("N"), null)
        {
        }

        /// <summary>A run under <paramref name="id"/> on <paramref name="saga"/>, or on its own saga grain.</summary>
        public SagaRun(IClusterClient client, string id, IOrderSagaGrain? saga)
        {
            Id = id;
            Saga = saga ?? client.GetGrain<IOrderSagaGrain>("saga-" + id);
            Journal = client.GetGrain<IJournalGrain>("journal-" + id);
        }

        public string Id { get; }

        public string GateKey => "gate-" + Id;

        public string RequestId => "process-" + Id;

        public IOrderSagaGrain Saga { get; }

        public IJournalGrain Journal { get; }

        public Task<int> Start() => ImmortalRequests.InvokeAsync(
            Saga,
            RequestId,
            saga => saga.Process(Id, GateKey, Steps, CancellationToken.None));
    }
}
