using Azure.Storage.Blobs;
using Immortals.Orleans.IntegrationTests.Cluster;
using Immortals.Orleans.IntegrationTests.Grains;
using Immortals.Orleans.Testing;
using Orleans.TestingHost;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// Shapes that users write: call chains, shared callees, reentrancy, self calls, collection fields, early
/// exceptions, large results and racing retries, each across silo kills where a kill applies.
/// </summary>
public sealed class UserScenarioTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly List<string> _gateKeys = [];
    private ImmortalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ImmortalCluster.StartAsync(azurite.ConnectionString, 3);

    public async Task DisposeAsync()
    {
        // A silo does not finish stopping while a request waits at a gate, so a failed test must not leave one shut.
        foreach (var key in _gateKeys)
        {
            TestGates.ReleaseAll(key);
        }

        await _cluster.DisposeAsync();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Chain_middle_silo_killed_at_step(int step)
    {
        const int steps = 5;
        var run = new WorkflowRun(_cluster.Client);
        var middle = _cluster.Client.GetGrain<IChainGrain>("middle-" + run.Id);
        Arm(run.GateKey, step);
        var started = run.Workflow.RunChain("middle-" + run.Id, run.CounterKey, steps, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, step);
        TestLog.Write($"chain gate {step} reached; killing the middle grain's silo");

        await _cluster.KillSiloOfAsync(middle, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("15", await run.WaitForReportAsync());
        Assert.Equal(steps, await run.Counter.GetCount());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Silo_killed_while_recovering_workflow()
    {
        var run = new WorkflowRun(_cluster.Client);
        Arm(run.GateKey, 3);
        var started = run.Start(10);
        await TestGates.WaitReachedAsync(run.GateKey, 3);

        // Watch for the next activation from before the first kill, and kill its silo as soon as the activation
        // exists, so that the second kill falls into or close after its recovery (a read and a fence write).
        var first = _cluster.SiloOf(run.Workflow) ?? throw new InvalidOperationException("The workflow is not active.");
        var found = FindActivationElsewhereAsync(run.Workflow, first.SiloAddress);
        var firstKill = _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));
        var recovering = await found;
        TestLog.Write($"workflow active on {recovering.SiloAddress}; killing it");
        await Task.WhenAll(firstKill, _cluster.KillAsync(recovering));
        await _cluster.EnsureSilosAsync(3);

        Assert.Equal("55", await run.WaitForReportAsync());
        Assert.Equal(10, await run.Counter.GetCount());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Two_workflows_share_counter_through_kills()
    {
        var first = new WorkflowRun(_cluster.Client);
        var second = new WorkflowRun(_cluster.Client);
        Arm(first.GateKey, 4);
        Arm(second.GateKey, 6);
        var firstStarted = first.Workflow.Run(first.CounterKey, 10, first.GateKey, first.SinkKey);
        var secondStarted = second.Workflow.Run(first.CounterKey, 10, second.GateKey, second.SinkKey);
        await TestGates.WaitReachedAsync(first.GateKey, 4);
        await TestGates.WaitReachedAsync(second.GateKey, 6);

        TestLog.Write("both gates reached; killing the shared counter's silo");
        await _cluster.KillSiloOfAsync(first.Counter, () =>
        {
            Arm(first.GateKey, 8);
            TestGates.Release(first.GateKey, 4);
            TestGates.Release(second.GateKey, 6);
        });
        await TestGates.WaitReachedAsync(first.GateKey, 8);
        TestLog.Write("first workflow at gate 8; killing its silo");
        await _cluster.KillSiloOfAsync(first.Workflow, () => TestGates.ReleaseAll(first.GateKey));
        await _cluster.EnsureSilosAsync(3);

        // Each Add returns the count after it, so two exact runs see 1..20 once each between them.
        var firstSum = int.Parse(await first.WaitForReportAsync());
        var secondSum = int.Parse(await second.WaitForReportAsync());
        Assert.Equal(20 * 21 / 2, firstSum + secondSum);
        Assert.Equal(20, await first.Counter.GetCount());
        await ObserveAsync(firstStarted);
        await ObserveAsync(secondStarted);
    }

    [Fact]
    public async Task Reentrant_grain_calls_itself_through_kill()
    {
        var run = new WorkflowRun(_cluster.Client);
        var grain = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + run.Id);
        Arm(run.GateKey, 1);
        var started = grain.CallSelf(run.CounterKey, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);

        await _cluster.KillSiloOfAsync(grain, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("5:12:12", await run.WaitForReportAsync());
        Assert.Equal(12, await run.Counter.GetCount());
        Assert.Equal(12, await grain.GetTotal());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Grain_calls_own_interleaving_method()
    {
        var run = new WorkflowRun(_cluster.Client);
        var middle = _cluster.Client.GetGrain<IChainGrain>("middle-" + run.Id);

        var first = await middle.ForwardAndReadSelf(run.CounterKey).WaitAsync(TimeSpan.FromSeconds(30));
        var second = await middle.ForwardAndReadSelf(run.CounterKey).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(101, first);
        Assert.Equal(202, second);
        Assert.Equal(2, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Reentrant_grain_resumes_two_roots()
    {
        var first = new WorkflowRun(_cluster.Client);
        var second = new WorkflowRun(_cluster.Client);
        var grain = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + first.Id);
        Arm(first.GateKey, 3);
        Arm(second.GateKey, 2);
        var firstStarted = grain.Run(first.CounterKey, 5, first.GateKey, first.SinkKey);
        var secondStarted = grain.Run(second.CounterKey, 5, second.GateKey, second.SinkKey);
        await TestGates.WaitReachedAsync(first.GateKey, 3);
        await TestGates.WaitReachedAsync(second.GateKey, 2);

        await _cluster.KillSiloOfAsync(grain, () =>
        {
            TestGates.ReleaseAll(first.GateKey);
            TestGates.ReleaseAll(second.GateKey);
        });

        Assert.Equal("15", await first.WaitForReportAsync());
        Assert.Equal("15", await second.WaitForReportAsync());
        Assert.Equal(5, await first.Counter.GetCount());
        Assert.Equal(5, await second.Counter.GetCount());
        await ObserveAsync(firstStarted);
        await ObserveAsync(secondStarted);
    }

    [Fact]
    public async Task Reentrant_roots_share_list_through_kill()
    {
        var first = new WorkflowRun(_cluster.Client);
        var second = new WorkflowRun(_cluster.Client);
        var grain = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + first.Id);
        Arm(first.GateKey, 3);
        Arm(second.GateKey, 2);
        var firstStarted = grain.AppendCounts(first.CounterKey, 5, first.GateKey);
        var secondStarted = grain.AppendCounts(first.CounterKey, 5, second.GateKey);
        await TestGates.WaitReachedAsync(first.GateKey, 3);
        await TestGates.WaitReachedAsync(second.GateKey, 2);

        await _cluster.KillSiloOfAsync(grain, () =>
        {
            TestGates.ReleaseAll(first.GateKey);
            TestGates.ReleaseAll(second.GateKey);
        });

        // Both roots add to one counter, so the shared list contains each count from 1 to 10 exactly once.
        var counts = await Eventually.GetAsync(grain.GetCounts, counts => counts.Count >= 10, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 10), counts.Order());
        Assert.Equal(10, await first.Counter.GetCount());
        await ObserveAsync(firstStarted);
        await ObserveAsync(secondStarted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Collection_fields_hold_committed_steps(int step)
    {
        var run = new WorkflowRun(_cluster.Client);
        Arm(run.GateKey, step);
        var started = run.Workflow.RecordCounts(run.CounterKey, 4, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, step);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        Assert.Equal("1,2,3,4|4=4", await run.WaitForReportAsync());
        Assert.Equal(4, await run.Counter.GetCount());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Racing_request_id_retries_run_once()
    {
        var run = new WorkflowRun(_cluster.Client);
        var requestId = "request-" + run.Id;
        Arm(run.GateKey, 3);
        var attempts = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => ImmortalRequests.InvokeAsync(
                run.Workflow,
                requestId,
                workflow => workflow.Run(run.CounterKey, 6, run.GateKey, run.SinkKey))))
            .ToList();
        await TestGates.WaitReachedAsync(run.GateKey, 3);

        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));
        await _cluster.EnsureSilosAsync(3);
        foreach (var attempt in attempts)
        {
            await ObserveAsync(attempt);
        }

        var retries = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => ImmortalRequests.InvokeAsync(
                run.Workflow,
                requestId,
                workflow => workflow.Run(run.CounterKey, 6, run.GateKey, run.SinkKey))))
            .ToList();
        var results = await Task.WhenAll(retries).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.All(results, result => Assert.Equal(21, result));
        Assert.Equal("21", await run.WaitForReportAsync());
        Assert.Equal(6, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Racing_request_ids_on_reentrant_grain()
    {
        var run = new WorkflowRun(_cluster.Client);
        var grain = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + run.Id);
        var requestId = "request-" + run.Id;

        // A reentrant grain starts every request at once, so the requests race inside one activation.
        var attempts = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => ImmortalRequests.InvokeAsync(
                grain,
                requestId,
                workflow => workflow.Run(run.CounterKey, 5, run.GateKey, run.SinkKey))))
            .ToList();
        var results = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, result => Assert.Equal(15, result));
        Assert.Equal("15", await run.WaitForReportAsync());
        Assert.Equal(5, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Exception_before_first_await_reaches_caller()
    {
        var run = new WorkflowRun(_cluster.Client);

        var report = await run.Workflow.CatchEarlyFailures(run.CounterKey, run.GateKey, run.SinkKey);

        Assert.Equal("1:failed before the first await/thrown at once", report);
        Assert.Equal(1, await run.Counter.GetCount());
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.Counter.AddUnlessFailing(true, run.GateKey, 5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.Counter.ThrowAtOnce("direct"));
        Assert.Equal(1, await run.Counter.GetCount());
    }

    [Fact]
    public async Task Large_result_spills_and_survives_kill()
    {
        const int size = 1024 * 1024;
        var run = new WorkflowRun(_cluster.Client);
        var payload = _cluster.Client.GetGrain<IPayloadGrain>("payload-" + run.Id);
        Arm(run.GateKey, 1);
        var started = run.Workflow.FetchLarge("payload-" + run.Id, size, run.GateKey, run.SinkKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);

        var blobs = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_cluster.ContainerName);
        var spilled = await Eventually.GetAsync(
            async () =>
            {
                var names = new List<string>();
                await foreach (var blob in blobs.GetBlobsAsync())
                {
                    names.Add(blob.Name);
                }

                return names;
            },
            names => names.Count > 0,
            TimeSpan.FromSeconds(30));
        Assert.NotEmpty(spilled);
        await _cluster.KillSiloOfAsync(run.Workflow, () => TestGates.ReleaseAll(run.GateKey));

        var expectedSum = PayloadGrain.Fill(size, 7).Sum(value => (long)value);
        Assert.Equal($"{size}:{expectedSum}", await run.WaitForReportAsync());
        Assert.Equal(1, await payload.GetMade());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Large_argument_survives_callee_kill()
    {
        const int size = 1024 * 1024;
        var run = new WorkflowRun(_cluster.Client);
        var payload = _cluster.Client.GetGrain<IPayloadGrain>("payload-" + run.Id);
        Arm(run.GateKey, 1);
        var started = run.Workflow.SendLarge("payload-" + run.Id, size, run.SinkKey, run.GateKey);
        await TestGates.WaitReachedAsync(run.GateKey, 1);

        await _cluster.KillSiloOfAsync(payload, () => TestGates.ReleaseAll(run.GateKey));

        var expectedSum = PayloadGrain.Fill(size, 3).Sum(value => (long)value);
        Assert.Equal(expectedSum.ToString(), await run.WaitForReportAsync());
        Assert.Equal(1, await payload.GetSummed());
        await ObserveAsync(started);
    }

    [Fact]
    public async Task Request_id_retries_attach_after_reentrant_kill()
    {
        var run = new WorkflowRun(_cluster.Client);
        var grain = _cluster.Client.GetGrain<IReentrantWorkflowGrain>("reentrant-" + run.Id);
        var requestId = "request-" + run.Id;
        Arm(run.GateKey, 2);
        var first = ImmortalRequests.InvokeAsync(grain, requestId, g => g.Run(run.CounterKey, 5, run.GateKey, run.SinkKey));
        await TestGates.WaitReachedAsync(run.GateKey, 2);

        await _cluster.KillSiloOfAsync(grain, () => TestGates.ReleaseAll(run.GateKey));
        await ObserveAsync(first);
        var retries = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => ImmortalRequests.InvokeAsync(
                grain,
                requestId,
                g => g.Run(run.CounterKey, 5, run.GateKey, run.SinkKey))))
            .ToList();
        var results = await Task.WhenAll(retries).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, result => Assert.Equal(15, result));
        Assert.Equal("15", await run.WaitForReportAsync());
        Assert.Equal(5, await run.Counter.GetCount());
    }

    private async Task<InProcessSiloHandle> FindActivationElsewhereAsync(
        IAddressable grain,
        SiloAddress dead)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            InProcessSiloHandle? silo = null;
            try
            {
                silo = _cluster.SiloOf(grain);
            }
            catch (ObjectDisposedException)
            {
                // The test cluster looks the grain up in every silo, the one that is stopping included.
            }

            if (silo is not null && !silo.SiloAddress.Equals(dead))
            {
                return silo;
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"Grain {grain.GetGrainId()} was not activated on another silo within 60 seconds.");
    }

    private void Arm(string gateKey, int step)
    {
        _gateKeys.Add(gateKey);
        TestGates.Arm(gateKey, step);
    }

    private async Task ObserveAsync(Task started)
    {
        try
        {
            await started.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The original request may fail with its silo; the test checks the reports and counts.
        }

        await _cluster.EnsureSilosAsync(3);
    }
}
