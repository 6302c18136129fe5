using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Request results kept for a short retention period, then expired ids, also after recovery.</summary>
public sealed class RequestRetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(2);
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(
        azurite.ConnectionString,
        2,
        configureImmortals: options => options.RequestResultRetention = Retention);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Expired_id_is_rejected_and_not_run()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "add-" + run.Id;
        var first = await ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(5));
        var kept = await ImmortalRequests.GetStatusAsync(run.Counter, requestId);

        var expired = await Eventually.GetAsync(
            () => ImmortalRequests.GetStatusAsync(run.Counter, requestId),
            status => status.State == ImmortalRequestState.Expired,
            TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<ImmortalRequestExpiredException>(
            () => ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(5)));
        var cancel = await ImmortalRequests.CancelAsync(run.Counter, requestId);

        Assert.Equal(5, first);
        Assert.Equal(ImmortalRequestState.Expired, cancel.State);
        Assert.False(cancel.CancellationRequested);
        Assert.Equal(ImmortalRequestState.Succeeded, kept.State);
        Assert.Equal(ImmortalRequestState.Expired, expired.State);
        Assert.EndsWith(".ICounterGrain.Add", error.MethodName, StringComparison.Ordinal);
        Assert.Contains(requestId, error.Message, StringComparison.Ordinal);
        Assert.Equal(5, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Expired_id_stays_expired_after_recovery()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "add-" + run.Id;
        await ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(1));
        await Eventually.GetAsync(
            () => ImmortalRequests.GetStatusAsync(run.Counter, requestId),
            status => status.State == ImmortalRequestState.Expired,
            TimeSpan.FromSeconds(30));

        // The next checkpoint drops the expired result and keeps only its id; then the grain recovers from it.
        await ImmortalRequests.InvokeAsync(run.Counter, "other-" + run.Id, counter => counter.Add(10));
        await _cluster.KillSiloOfAsync(run.Counter);
        var afterRecovery = await ImmortalRequests.GetStatusAsync(run.Counter, requestId);
        var error = await Assert.ThrowsAsync<ImmortalRequestExpiredException>(
            () => ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(1)));
        var otherArguments = await Assert.ThrowsAsync<ImmortalRequestExpiredException>(
            () => ImmortalRequests.InvokeAsync(run.Counter, requestId, counter => counter.Add(7)));

        Assert.Equal(ImmortalRequestState.Expired, afterRecovery.State);
        Assert.Null(afterRecovery.MethodName);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
        Assert.NotNull(otherArguments);
        Assert.Equal(11, await run.Counter.GetCount());
    }
}
