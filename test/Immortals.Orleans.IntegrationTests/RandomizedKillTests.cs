using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>Many workflows at once while silos die and restart at random moments of a fixed seed.</summary>
public sealed class RandomizedKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Workflows_finish_exactly_through_random_kills()
    {
        const int workflows = 20;
        const int steps = 10;
        const int kills = 5;
        var random = new Random(20261204);
        await using var cluster = await ImmortalCluster.StartAsync(
            azurite.ConnectionString,
            3,
            clientResponseTimeout: TimeSpan.FromSeconds(10));
        var runs = Enumerable.Range(0, workflows).Select(_ => new WorkflowRun(cluster.Client)).ToList();
        var finished = runs.Select(run => StartWithRetriesAsync(run, steps)).ToList();

        for (var kill = 0; kill < kills; kill++)
        {
            await Task.Delay(random.Next(100, 600));
            var silos = cluster.Cluster.GetActiveSilos().ToList();
            var victim = silos[random.Next(silos.Count)];
            TestLog.Write($"kill {kill + 1}: {victim.SiloAddress}");
            await cluster.KillAsync(victim);
            await cluster.EnsureSilosAsync(3);
        }

        var results = await Task.WhenAll(finished).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.All(results, result => Assert.Equal(55, result));
        foreach (var run in runs)
        {
            Assert.Equal("55", await run.WaitForReportAsync());
            Assert.Equal(steps, await run.Counter.GetCount());
        }
    }

    /// <summary>
    /// Starts a workflow under a request id and repeats the request until it returns, as a client does when the
    /// silo of its request dies. A request whose method was never stored runs anew; any other attaches to the
    /// method or returns its retained result.
    /// </summary>
    private static async Task<int> StartWithRetriesAsync(WorkflowRun run, int steps)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ImmortalRequests.InvokeAsync(
                    run.Workflow,
                    "start-" + run.Id,
                    workflow => workflow.Run(run.CounterKey, steps, run.GateKey, run.SinkKey));
            }
            catch (Exception exception) when (attempt < 20)
            {
                TestLog.Write($"start of {run.Id} failed (attempt {attempt}): {exception.GetType().Name}");
                await Task.Delay(250);
            }
        }
    }
}
