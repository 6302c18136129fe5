using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>A call between immortal grains that runs longer than Orleans' response timeout.</summary>
public sealed class LongCallTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Callee_longer_than_response_timeout_completes()
    {
        await using var cluster = await ImmortalCluster.StartAsync(
            azurite.ConnectionString,
            2,
            responseTimeout: TimeSpan.FromSeconds(2));
        var run = new WorkflowRun(cluster.Client);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var count = await run.Workflow.CallSlow(run.CounterKey, naps: 8, napMilliseconds: 500);

        Assert.Equal(1, count);
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(3), $"The call took {watch.Elapsed}, less than it sleeps.");
        Assert.Equal(1, await run.Counter.GetCount());
    }
}
