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
        await using var cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);
        var runs = Enumerable.Range(0, workflows).Select(_ => new WorkflowRun(cluster.Client)).ToList();
        var started = runs.Select(run => run.Start(steps)).ToList();

        for (var kill = 0; kill < kills; kill++)
        {
            await Task.Delay(random.Next(100, 600));
            var silos = cluster.Cluster.GetActiveSilos().ToList();
            var victim = silos[random.Next(silos.Count)];
            TestLog.Write($"kill {kill + 1}: {victim.SiloAddress}");
            await cluster.KillAsync(victim);
            await cluster.EnsureSilosAsync(3);
        }

        foreach (var run in runs)
        {
            Assert.Equal("55", await run.WaitForReportAsync(TimeSpan.FromSeconds(90)));
            Assert.Equal(steps, await run.Counter.GetCount());
        }

        foreach (var task in started)
        {
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception)
            {
                // Requests whose silo died fail; the reports are what the test checks.
            }
        }
    }
}
