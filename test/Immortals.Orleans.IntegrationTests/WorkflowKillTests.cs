using System.Diagnostics.Metrics;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>A workflow that calls an immortal counter ten times, with silos killed at chosen steps.</summary>
public sealed class WorkflowKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int Steps = 10;
    private const int ExpectedSum = Steps * (Steps + 1) / 2;
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Workflow_without_failure_sums_counts()
    {
        var run = NewRun();

        var sum = await run.Workflow.Run(run.CounterKey, Steps, run.GateKey, run.SinkKey);

        Assert.Equal(ExpectedSum, sum);
        Assert.Equal(Steps, await run.Counter.GetCount());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public async Task Workflow_silo_killed_at_step(int step)
    {
        var run = NewRun();
        TestGates.Arm(run.GateKey, step);
        var started = run.Start(Steps);
        await TestGates.WaitReachedAsync(run.GateKey, step);
        TestLog.Write($"gate {step} reached; killing the workflow's silo");

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));
        TestLog.Write("killed");

        Assert.Equal(ExpectedSum.ToString(), await run.WaitForReportAsync());
        Assert.Equal(Steps, await run.Counter.GetCount());
        await Observe(started);
    }

    [Fact]
    public async Task Workflow_finishes_alone_without_new_silo()
    {
        var run = NewRun();
        TestGates.Arm(run.GateKey, 5);
        var started = run.Start(Steps);
        await TestGates.WaitReachedAsync(run.GateKey, 5);

        // Nothing calls the workflow after the kill and no silo replaces the dead one: the wake-up registry sweep
        // of a surviving silo resumes it.
        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal(ExpectedSum.ToString(), await run.WaitForReportAsync());
        Assert.Equal(2, _cluster.Cluster.GetActiveSilos().Count());
        Assert.Equal(Steps, await run.Counter.GetCount());
        await Observe(started);
    }

    [Fact]
    public async Task Kill_and_recovery_are_measured()
    {
        var measured = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == "Immortals.Orleans")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            measured.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();
        var run = NewRun();
        TestGates.Arm(run.GateKey, 2);
        var started = run.Start(3);
        await TestGates.WaitReachedAsync(run.GateKey, 2);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));
        Assert.Equal("6", await run.WaitForReportAsync());

        Assert.True(measured.GetValueOrDefault("immortals.checkpoints.written") > 0);
        Assert.True(measured.GetValueOrDefault("immortals.checkpoints.bytes") > 0);
        Assert.True(measured.GetValueOrDefault("immortals.restores") > 0);
        Assert.True(measured.GetValueOrDefault("immortals.resends") > 0);
        await Observe(started);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Counter_silo_killed_at_step(int step)
    {
        var run = NewRun();
        TestGates.Arm(run.GateKey, step);
        var started = run.Start(Steps);
        await TestGates.WaitReachedAsync(run.GateKey, step);

        await _cluster.KillSiloOfAsync(run.Counter, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal(ExpectedSum.ToString(), await run.WaitForReportAsync());
        Assert.Equal(Steps, await run.Counter.GetCount());
        await Observe(started);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task Both_silos_killed_at_step(int step)
    {
        var run = NewRun();
        TestGates.Arm(run.GateKey, step);
        var started = run.Start(Steps);
        await TestGates.WaitReachedAsync(run.GateKey, step);

        var workflowSilo = _cluster.SiloOf(run.Workflow);
        var counterSilo = _cluster.SiloOf(run.Counter);
        if (_cluster.Cluster.GetActiveSilos().Count() < 3)
        {
            await _cluster.EnsureSilosAsync(3);
        }

        var kills = new List<Task> { _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey)) };
        if (counterSilo is not null && !counterSilo.SiloAddress.Equals(workflowSilo?.SiloAddress))
        {
            kills.Add(_cluster.KillAsync(counterSilo));
        }

        await Task.WhenAll(kills);

        Assert.Equal(ExpectedSum.ToString(), await run.WaitForReportAsync());
        Assert.Equal(Steps, await run.Counter.GetCount());
        await Observe(started);
    }

    private WorkflowRun NewRun() => new(_cluster.Client);

    /// <summary>Waits for the client's original call, which may fail when its silo died, without failing the test.</summary>
    private async Task Observe(Task started)
    {
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The original request may fail or time out with its silo; the report is what the test checks.
        }

        await _cluster.EnsureSilosAsync(3);
    }
}
