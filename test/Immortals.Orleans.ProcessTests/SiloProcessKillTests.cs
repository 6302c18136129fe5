using Immortals.Orleans.Testing;
using Microsoft.Extensions.Hosting;
using SiloHost.Demo;
using SiloHost.Diagnostics;
using SiloHost.Grains;
using SiloHost.Hosting;

namespace Immortals.Orleans.ProcessTests;

/// <summary>
/// Two sample silo processes clustered through Azure Table membership on Azurite, with checkpoints in Azure Table
/// storage on the same Azurite. One process is killed with SIGKILL while order workflows are suspended on it.
/// </summary>
public sealed class SiloProcessKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int OrderCount = 12;
    private static readonly TimeSpan SiloStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("immortals-process-test-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The silos are killed next.
            }

            _client.Dispose();
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Workflows_finish_on_surviving_process()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var clusterId = "process-test-" + id;
        var membershipTable = "m" + id;
        var ports = FreePorts.Take(4);
        string[] arguments =
        [
            "--storage", StorageKinds.Azure, "--checkpoint-table", "c" + id, "--spill-container", "s" + id,
            "--clustering", ClusteringKinds.Azure, "--membership-table", membershipTable,
            "--service-id", clusterId, "--cluster-id", clusterId, "--shipping-seconds", "3",
        ];
        var environment = new Dictionary<string, string> { ["Sample__ConnectionString"] = azurite.ConnectionString };
        for (var slot = 0; slot < 2; slot++)
        {
            _silos.Add(SiloProcess.Start(
                SampleSilos.Command(),
                ports[slot],
                ports[2 + slot],
                arguments,
                environment,
                Path.Combine(_root, "status"),
                Path.Combine(_root, $"silo-{slot}.log")));
        }

        foreach (var silo in _silos)
        {
            await silo.WaitStartedAsync(SiloStartTimeout);
        }

        _client = await SampleClient.StartAsync(
            ClusteringKinds.Azure,
            clusterId,
            clusterId,
            [],
            azurite.ConnectionString,
            membershipTable,
            CancellationToken.None);
        var client = SampleClient.Client(_client);
        var orders = OrderCatalog.Create("p" + id, OrderCount);
        var driver = new OrderDriver(client, orders);
        driver.StartAll();

        var (victim, survivor, interrupted) = await WaitUntilSuspendedAsync(driver);
        var victimAddress = victim.ReadReport()!.SiloAddress!;
        var survivorAddress = survivor.ReadReport()!.SiloAddress!;
        var unfinishedAtKill = driver.Orders.Where(order => order.Outcome is null).ToList();
        victim.Kill();

        await WaitUntilDeclaredDeadAsync(client, victimAddress);
        foreach (var order in unfinishedAtKill)
        {
            order.RequestResend();
        }

        await driver.WhenAllFinished().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.NotEmpty(interrupted);
        foreach (var order in unfinishedAtKill)
        {
            Assert.Equal(survivorAddress, order.Outcome!.FinishedOnSilo);
        }

        foreach (var order in driver.Orders)
        {
            var expected = OrderCatalog.IsDeclined(order.Request) ? OrderStage.Cancelled : OrderStage.Shipped;
            Assert.Equal(expected, order.Outcome!.Stage);
        }

        var effects = await EffectCheck.ReadAsync(client, orders);
        var declined = orders.Count(OrderCatalog.IsDeclined);
        Assert.Empty(effects.Problems);
        Assert.Equal(OrderCount, effects.Reservations);
        Assert.Equal(declined, effects.Releases);
        Assert.Equal(declined, effects.Declines);
        Assert.Equal(OrderCount - declined, effects.Charges);
        Assert.Equal(OrderCount - declined, effects.Shipments);

        var survivorTotals = survivor.ReadReport()!.Metrics;
        Assert.True(
            survivorTotals.Restores >= interrupted.Count,
            $"{survivorTotals.Restores} restores for {interrupted.Count} interrupted workflows");
        Assert.True(survivorTotals.Resends > 0, "The surviving silo re-sent no call.");
    }

    /// <summary>
    /// Waits until every order is at the carrier or finished, and returns the silo with the most workflows
    /// suspended on it, the other silo, and those workflows.
    /// </summary>
    private async Task<(SiloProcess Victim, SiloProcess Survivor, List<string> Interrupted)> WaitUntilSuspendedAsync(
        OrderDriver driver)
    {
        using var timeout = new CancellationTokenSource(StepTimeout);
        while (true)
        {
            var reports = _silos.Select(silo => silo.ReadReport() ?? new SiloReport()).ToList();
            var atCarrier = reports.SelectMany(report => report.AtCarrier).ToHashSet();
            var unfinished = driver.Orders
                .Where(order => order.Outcome is null)
                .Select(order => order.Request.OrderId)
                .ToList();
            if (unfinished.All(atCarrier.Contains))
            {
                var suspended = reports
                    .Select(report => unfinished.Where(orderId => report.Orders.ContainsKey(orderId)).ToList())
                    .ToList();
                var victim = suspended[0].Count >= suspended[1].Count ? 0 : 1;
                return (_silos[victim], _silos[1 - victim], suspended[victim]);
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task WaitUntilDeclaredDeadAsync(IClusterClient client, string siloAddress)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        using var timeout = new CancellationTokenSource(StepTimeout);
        while (true)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true);
                if (hosts.Keys.All(host => host.ToString() != siloAddress))
                {
                    return;
                }
            }
            catch (Exception) when (!timeout.IsCancellationRequested)
            {
                // The management grain may have lived on the killed silo, or its directory entry may be moving:
                // Orleans fails such calls until membership settles, so the poll tries again.
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
