using Immortals.Orleans.Delivery;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// Two live activations of one grain: two clusters share a service id and a checkpoint table but not a grain
/// directory, the situation of a leftover activation whose silo lost its membership. Only the checkpoint's ETag
/// chain separates them.
/// </summary>
public sealed class StaleActivationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Stale_activation_cannot_overwrite_owner()
    {
        var serviceId = "service-" + Guid.NewGuid().ToString("N");
        var table = $"t{Guid.NewGuid():N}";
        await using var first = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1, tableName: table, serviceId: serviceId);
        await using var second = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1, tableName: table, serviceId: serviceId);
        var run = new WorkflowRun(first.Client);
        TestGates.Arm(run.GateKey, 4);
        var started = run.Start(10);
        await TestGates.WaitReachedAsync(run.GateKey, 4);

        // Activating the workflow in the second cluster recovers it there and fences the first activation, which
        // still waits at the gate with its frames in memory.
        var workflowId = run.Workflow.GetGrainId();
        Assert.True(await second.Client.GetGrain(workflowId).AsReference<IImmortalDeliveryExtension>().Wake());
        TestLog.Write("second activation recovered; releasing the gate in both clusters");
        TestGates.ReleaseAll(run.GateKey);

        var sink = second.Client.GetGrain<IResultSinkGrain>(run.SinkKey);
        var reports = await Eventually.GetAsync(sink.GetReports, reports => reports.Count > 0);
        Assert.Equal(["55"], reports);
        Assert.Equal(10, await second.Client.GetGrain<ICounterGrain>(run.CounterKey).GetCount());
        await Assert.ThrowsAnyAsync<Exception>(() => started.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
