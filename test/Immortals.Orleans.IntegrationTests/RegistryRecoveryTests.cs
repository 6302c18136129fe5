using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// Hundreds of workflows suspended on calls to an ordinary grain, so that after their silo dies only the wake-up
/// registry's sweep can resume them.
/// </summary>
public sealed class RegistryRecoveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Workflows = 240;
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Workflows_of_killed_silo_all_resume()
    {
        var runs = Enumerable.Range(0, Workflows).Select(_ => new ParkedRun(_cluster.Client)).ToList();
        foreach (var run in runs)
        {
            TestGates.Arm(run.GateKey, 1);
        }

        var started = runs.Select(run => run.Workflow.Park(run.GateKey, run.SinkKey)).ToList();
        await Task.WhenAll(runs.Select(run => TestGates.WaitReachedAsync(run.GateKey, 1)));
        TestLog.Write($"{Workflows} workflows wait at their gates");
        var victim = _cluster.SiloOf(runs[0].Workflow);
        Assert.NotNull(victim);
        var onVictim = runs
            .Where(run => _cluster.SiloOf(run.Workflow)?.SiloAddress.Equals(victim.SiloAddress) == true)
            .ToList();
        var activations = onVictim.Select(ActivationOf).ToList();

        await _cluster.KillAsync(victim, async () =>
        {
            // Closed activations write nothing more, so the workflows continue only from their checkpoints.
            while (activations.Any(activation => activation is { IsClosed: false }))
            {
                await Task.Delay(10);
            }

            foreach (var run in runs)
            {
                TestGates.ReleaseAll(run.GateKey);
            }
        });

        TestLog.Write($"killed the silo of {onVictim.Count} workflows");
        var reports = await Task.WhenAll(runs.Select(run => run.WaitForReportAsync(TimeSpan.FromMinutes(3))));
        Assert.NotEmpty(onVictim);
        Assert.All(reports, report => Assert.Equal("resumed", report));
        Assert.All(onVictim, run => Assert.True(TestGates.PassCount(run.GateKey, 1) >= 2));
        await ObserveAsync(started);
    }

    private ImmortalActivation? ActivationOf(ParkedRun run)
    {
        _cluster.Cluster.TryGetGrainContext(run.Workflow.GetGrainId(), out var context);
        return context?.GetComponent<ImmortalActivation>();
    }

    /// <summary>Waits for the client's original calls, which fail when their silo died, without failing.</summary>
    private static async Task ObserveAsync(List<Task> started)
    {
        try
        {
            await Task.WhenAll(started).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The reports are what the test checks.
        }
    }
}
