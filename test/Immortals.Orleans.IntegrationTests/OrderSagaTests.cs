using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// An order saga whose third step fails compensates the first two steps in reverse order, exactly once each, also
/// when its silo dies inside the compensation.
/// </summary>
public sealed class OrderSagaTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly string[] ExpectedJournal =
        ["stock:reserve", "payment:charge", "payment:refund", "stock:release"];

    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Failed_step_compensates_in_reverse()
    {
        var orderId = Guid.NewGuid().ToString("N");
        var saga = _cluster.Client.GetGrain<IOrderSagaGrain>("saga-" + orderId);

        var result = await ImmortalRequests.InvokeAsync(
            saga,
            "order-" + orderId,
            s => s.PlaceOrder(orderId, "gate-" + orderId));

        Assert.Equal("compensated: shipping:ship failed", result);
        Assert.Equal(ExpectedJournal, await Journal(orderId).GetEntries());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Kill_inside_compensation_compensates_once(int gate)
    {
        var orderId = Guid.NewGuid().ToString("N");
        var gateKey = "gate-" + orderId;
        var requestId = "order-" + orderId;
        var saga = _cluster.Client.GetGrain<IOrderSagaGrain>("saga-" + orderId);
        TestGates.Arm(gateKey, gate);
        var started = ImmortalRequests.InvokeAsync(saga, requestId, s => s.PlaceOrder(orderId, gateKey));
        await TestGates.WaitReachedAsync(gateKey, gate);

        await _cluster.KillSiloOfAsync(saga, () => TestGates.ReleaseAll(gateKey));
        var result = await ImmortalRequests.InvokeAsync(saga, requestId, s => s.PlaceOrder(orderId, gateKey));
        var status = await ImmortalRequests.GetStatusAsync(saga, requestId);

        Assert.Equal("compensated: shipping:ship failed", result);
        Assert.Equal(ExpectedJournal, await Journal(orderId).GetEntries());
        Assert.Equal(ImmortalRequestState.Succeeded, status.State);
        Assert.Equal(result, status.Result);
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The original request may fail with its silo; the retry above returned the result.
        }
    }

    private IJournalGrain Journal(string orderId) => _cluster.Client.GetGrain<IJournalGrain>("journal-" + orderId);
}
