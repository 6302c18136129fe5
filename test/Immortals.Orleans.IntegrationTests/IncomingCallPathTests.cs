using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// Requests reach the plugin through the grain-level filter of immortal grains only: ordinary grains keep the plain
/// Orleans call path, and a grain class that replaces the filter is rejected.
/// </summary>
public sealed class IncomingCallPathTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Ordinary_grain_keeps_request_id_entry()
    {
        var relay = _cluster.Client.GetGrain<IRelayGrain>("keeps-" + Guid.NewGuid().ToString("N"));

        var seen = await ImmortalRequests.InvokeAsync(
            relay,
            "request-1",
            r => r.ReadContext(ImmortalRequests.RequestContextKey));

        // No plugin code runs for the ordinary grain, so nothing removed the entry.
        Assert.Equal(ImmortalRequests.Format(relay.GetGrainId(), "request-1"), seen);
    }

    [Fact]
    public async Task Ordinary_grain_id_not_taken_by_callee()
    {
        var relay = _cluster.Client.GetGrain<IRelayGrain>("binds-" + Guid.NewGuid().ToString("N"));
        var counterKey = "counter-" + Guid.NewGuid().ToString("N");

        var count = await ImmortalRequests.InvokeAsync(relay, "request-2", r => r.AddTwice(counterKey));

        // Both equal Add calls ran: the counter did not take the relay's id as its own request id.
        Assert.Equal(2, count);
        var counter = _cluster.Client.GetGrain<ICounterGrain>(counterKey);
        var status = await ImmortalRequests.GetStatusAsync(counter, "request-2");
        Assert.Equal(ImmortalRequestState.Unknown, status.State);
    }

    [Fact]
    public async Task Immortal_grain_removes_request_id_entry()
    {
        var probe = _cluster.Client.GetGrain<IContextProbeGrain>("probe-" + Guid.NewGuid().ToString("N"));

        var bound = await ImmortalRequests.InvokeAsync(
            probe,
            "request-3",
            p => p.ReadContext(ImmortalRequests.RequestContextKey));
        RequestContext.Set(ImmortalRequests.RequestContextKey, "other-grain\nrequest-4");
        string? foreign;
        try
        {
            foreign = await probe.ReadContext(ImmortalRequests.RequestContextKey);
        }
        finally
        {
            RequestContext.Remove(ImmortalRequests.RequestContextKey);
        }

        Assert.Null(bound);
        Assert.Null(foreign);
        var status = await ImmortalRequests.GetStatusAsync(probe, "request-3");
        Assert.Equal(ImmortalRequestState.Succeeded, status.State);
    }

    [Fact]
    public async Task Own_incoming_filter_fails_activation()
    {
        var probe = _cluster.Client.GetGrain<IOwnFilterProbeGrain>("own-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => probe.ReadContext("any"));

        Assert.Contains(typeof(OwnFilterProbeGrain).FullName!, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("AddIncomingGrainCallFilter", error.ToString(), StringComparison.Ordinal);
    }
}
