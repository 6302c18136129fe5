using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

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
        var reports = await Eventually.GetAsync(
            () => ReadLatestAsync(sink, sink.GetReports),
            reports => reports.Count > 0);
        Assert.Equal(["55"], reports);
        var counter = second.Client.GetGrain<ICounterGrain>(run.CounterKey);
        Assert.Equal(10, await ReadLatestAsync(counter, counter.GetCount));
        await Assert.ThrowsAnyAsync<Exception>(() => started.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stale_activation_finishes_deactivating()
    {
        var serviceId = "service-" + Guid.NewGuid().ToString("N");
        var table = $"t{Guid.NewGuid():N}";
        await using var first = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1, tableName: table, serviceId: serviceId);
        await using var second = await ImmortalCluster.StartAsync(azurite.ConnectionString, 1, tableName: table, serviceId: serviceId);
        var id = Guid.NewGuid().ToString("N");
        var gateKey = "gate-" + id;
        var counterKey = "counter-" + id;
        var chainKey = "chain-" + id;
        TestGates.Arm(gateKey, 1);

        // A client request runs Forward as a root in the first cluster, which waits at the gate after its counter
        // call is stored.
        var started = first.Client.GetGrain<IChainGrain>(chainKey).Forward(counterKey, gateKey, 1);
        await TestGates.WaitReachedAsync(gateKey, 1);
        var chainId = first.Client.GetGrain<IChainGrain>(chainKey).GetGrainId();
        var runtime = first.Cluster.GetActiveSilos().Single().ServiceProvider.GetRequiredService<ImmortalRuntime>();
        var stale = runtime.Activations
            .Single(activation => activation.GrainId == chainId);

        // The second cluster recovers the grain and fences the first activation. Released, the first activation
        // finishes the root and learns from the write of its result that it is stale.
        Assert.True(await second.Client.GetGrain(chainId).AsReference<IImmortalDeliveryExtension>().Wake());
        TestGates.ReleaseAll(gateKey);

        await stale.Context.Deactivated.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(stale.IsClosed);
        await Assert.ThrowsAnyAsync<Exception>(() => started.WaitAsync(TimeSpan.FromSeconds(10)));

        var owner = second.Client.GetGrain<IChainGrain>(chainKey);
        var forwarded = await Eventually.GetAsync(() => ReadLatestAsync(owner, owner.GetForwarded), count => count > 0);
        Assert.Equal(1, forwarded);
        var counter = second.Client.GetGrain<ICounterGrain>(counterKey);
        Assert.Equal(1, await ReadLatestAsync(counter, counter.GetCount));

        // A result delivered through the first cluster no longer queues behind the stale activation. The activation
        // that takes it does not know the incarnation, or is itself fenced by then; either way the call returns.
        var delivery = first.Client.GetGrain(chainId).AsReference<IImmortalDeliveryExtension>()
            .DeliverResult(chainId, Guid.NewGuid(), 1, []);
        await Task.WhenAny(delivery, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(delivery.IsCompleted, "DeliverResult through the first cluster did not return within 20 s.");
        var again = first.Client.GetGrain<IChainGrain>(chainKey);
        Assert.Equal(1, await ReadLatestAsync(again, again.GetForwarded));
    }

    /// <summary>
    /// Reads a grain after deactivating it, so that the read recovers from the latest checkpoint. An activation that
    /// only serves reads never writes, so it never learns that the other cluster stored a newer checkpoint.
    /// </summary>
    private static async Task<T> ReadLatestAsync<T>(IAddressable grain, Func<Task<T>> read)
    {
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        return await read();
    }
}
