using Azure.Data.Tables;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Ordinary grains on silos with immortal grains enabled behave as in plain Orleans.</summary>
public sealed class OrdinaryGrainTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Ordinary_grain_keeps_state_and_exceptions()
    {
        var relay = _cluster.Client.GetGrain<IRelayGrain>("plain-" + Guid.NewGuid());

        Assert.Equal(1, await relay.Increment());
        Assert.Equal(2, await relay.Increment());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.Fail("plain failure"));
        Assert.Equal("plain failure", error.Message);
    }

    [Fact]
    public async Task Request_context_flows_between_ordinary_grains()
    {
        var first = _cluster.Client.GetGrain<IRelayGrain>("first-" + Guid.NewGuid());

        RequestContext.Set("tenant", "blue");
        string? seen;
        try
        {
            seen = await first.ReadContextThrough("second-" + Guid.NewGuid(), "tenant");
        }
        finally
        {
            RequestContext.Remove("tenant");
        }

        Assert.Equal("blue", seen);
    }

    [Fact]
    public async Task Ordinary_grain_writes_no_checkpoint()
    {
        var key = "unwritten-" + Guid.NewGuid().ToString("N");
        var relay = _cluster.Client.GetGrain<IRelayGrain>(key);
        await relay.Increment();
        var workflow = new WorkflowRun(_cluster.Client);
        await workflow.Workflow.Run(workflow.CounterKey, 1, workflow.GateKey, workflow.SinkKey);

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(_cluster.TableName);
        var keys = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            keys.Add(entity.PartitionKey + "|" + entity.RowKey);
        }

        Assert.DoesNotContain(keys, k => k.Contains(key, StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Contains(workflow.Id, StringComparison.Ordinal));
    }
}
