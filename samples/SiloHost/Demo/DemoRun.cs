using Microsoft.Extensions.Hosting;
using SiloHost.Diagnostics;
using SiloHost.Grains;
using SiloHost.Hosting;

namespace SiloHost.Demo;

/// <summary>
/// The crash demo: starts silo processes, places orders from an Orleans client, kills a silo process with SIGKILL
/// while workflows are suspended on it, starts a replacement, and checks that every workflow finished and every
/// effect happened exactly once.
/// </summary>
internal sealed class DemoRun(DemoOptions options)
{
    private const int SiloCount = 3;
    private const string ServiceId = "immortals-demo";
    private const string CheckpointTable = "immortalsdemo";
    private const string MembershipTable = "immortalsdemomembers";
    private static readonly TimeSpan SiloStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KillPointTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ProgressView _view = new();
    private readonly SiloProcess?[] _silos = new SiloProcess?[SiloCount];
    private readonly List<SiloProcess> _started = [];
    private readonly string _runId = $"{DateTimeOffset.UtcNow:HHmmss}{Random.Shared.Next(0x1000):x3}";
    private string _root = "";
    private int[] _ports = [];
    private string? _connectionString;
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();

    private string Clustering =>
        options.Storage == StorageKinds.Local ? ClusteringKinds.Localhost : ClusteringKinds.Azure;

    private string ClusterId => "demo-" + _runId;

    /// <summary>Runs the demo and returns the process exit code: 0 when every check passed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _root = Directory.CreateTempSubdirectory("immortals-demo-").FullName;
        var passed = false;
        LocalAzurite? azurite = null;
        IHost? client = null;
        try
        {
            PrintIntroduction();
            _connectionString = options.ConnectionString;
            if (options.Storage == StorageKinds.Azurite)
            {
                azurite = await LocalAzurite.StartAsync(cancellationToken);
                _connectionString = azurite.ConnectionString;
                _view.Event(
                    $"Azurite started on 127.0.0.1 (blob {azurite.BlobPort}, table {azurite.TablePort}), data in memory");
            }

            if (_connectionString is not null)
            {
                _environment = new Dictionary<string, string> { ["Sample__ConnectionString"] = _connectionString };
            }

            _ports = FreePorts.Take(SiloCount * 2);
            await StartSilosAsync(cancellationToken);
            client = await SampleClient.StartAsync(
                Clustering,
                ServiceId,
                ClusterId,
                [.. Enumerable.Range(0, SiloCount).Select(GatewayPort)],
                _connectionString,
                MembershipTable,
                cancellationToken);
            var grains = SampleClient.Client(client);

            var orders = OrderCatalog.Create(_runId, options.Workflows);
            var driver = new OrderDriver(grains, orders);
            _view.Event($"client connected; placing {orders.Count} orders");
            driver.StartAll();

            var kill = await WaitForKillPointAsync(driver, cancellationToken);
            await KillAndReplaceAsync(kill, driver, cancellationToken);
            await WaitForAllFinishedAsync(driver, kill, cancellationToken);
            _view.Complete();

            var survivors = await ReadSurvivorTotalsAsync(cancellationToken);
            var effects = await EffectCheck.ReadAsync(grains, orders);
            var summary = DemoSummary.Create(driver, kill, survivors, effects);
            summary.Print(Console.Out);
            passed = summary.Passed;
            return passed ? 0 : 1;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _view.Complete();
            await Console.Error.WriteLineAsync($"The demo failed: {exception}");
            return 1;
        }
        finally
        {
            await StopAsync(client, azurite, passed);
        }
    }

    private void PrintIntroduction()
    {
        var storage = options.Storage switch
        {
            StorageKinds.Local => "checkpoints in a local directory, localhost clustering",
            StorageKinds.Azurite => "checkpoints in Azure Table storage on Azurite, Azure Table membership",
            _ => "checkpoints in Azure Table storage of the given account, Azure Table membership",
        };
        Console.WriteLine("Immortals.Orleans crash demo");
        Console.WriteLine($"  {SiloCount} silo processes on 127.0.0.1, {storage}");
        Console.WriteLine(
            $"  {options.Workflows} order workflows from a client: reserve stock, charge the card, book shipping");
        Console.WriteLine(
            $"  (the carrier takes {options.ShippingSeconds:0.#} s); one silo process is killed with SIGKILL while");
        Console.WriteLine("  workflows wait on it, and a replacement process starts on its ports");
        Console.WriteLine($"  run id {_runId}, logs in {Path.Combine(_root, "logs")}");
        Console.WriteLine();
    }

    private int SiloPort(int slot) => _ports[slot];

    private int GatewayPort(int slot) => _ports[SiloCount + slot];

    private async Task StartSilosAsync(CancellationToken cancellationToken)
    {
        // With localhost clustering the first silo is the primary that keeps the membership table, so it starts
        // first and never dies.
        await StartSilo(0).WaitStartedAsync(SiloStartTimeout, cancellationToken);
        _view.Event($"silo 0 started (pid {_silos[0]!.ProcessId}, port {SiloPort(0)})");
        var others = Enumerable.Range(1, SiloCount - 1).Select(StartSilo).ToList();
        foreach (var silo in others)
        {
            await silo.WaitStartedAsync(SiloStartTimeout, cancellationToken);
        }

        var processIds = string.Join(", ", others.Select(silo => silo.ProcessId));
        _view.Event($"silos 1-{SiloCount - 1} started (pids {processIds})");
    }

    private SiloProcess StartSilo(int slot)
    {
        var silo = SiloProcess.Start(
            SiloCommand.CurrentProcess(),
            SiloPort(slot),
            GatewayPort(slot),
            SiloArguments(),
            _environment,
            Path.Combine(_root, "status"),
            Path.Combine(_root, "logs", $"silo-{slot}.log"));
        _silos[slot] = silo;
        _started.Add(silo);
        return silo;
    }

    private List<string> SiloArguments()
    {
        List<string> arguments =
        [
            "--service-id", ServiceId, "--cluster-id", ClusterId,
            "--shipping-seconds", options.ShippingSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (options.Storage == StorageKinds.Local)
        {
            arguments.AddRange(["--storage", StorageKinds.Local, "--directory", Path.Combine(_root, "checkpoints")]);
            arguments.AddRange(
                ["--clustering", ClusteringKinds.Localhost, "--primary-silo-port", SiloPort(0).ToString()]);
            return arguments;
        }

        // The connection string reaches the silos through the environment, not the command line.
        arguments.AddRange(["--storage", StorageKinds.Azure, "--checkpoint-table", CheckpointTable]);
        arguments.AddRange(["--clustering", ClusteringKinds.Azure, "--membership-table", MembershipTable]);
        return arguments;
    }

    private Dictionary<int, SiloReport> ReadLiveReports()
    {
        var reports = new Dictionary<int, SiloReport>();
        for (var slot = 0; slot < SiloCount; slot++)
        {
            if (_silos[slot] is { HasExited: false } silo && silo.ReadReport() is { } report)
            {
                reports[slot] = report;
            }
        }

        return reports;
    }

    private async Task<KillPoint> WaitForKillPointAsync(OrderDriver driver, CancellationToken cancellationToken)
    {
        var deadline = _view.Elapsed + KillPointTimeout;
        while (true)
        {
            var reports = ReadLiveReports();
            ShowProgress(driver, reports, new HashSet<string>());
            var atCarrier = reports.Values.SelectMany(report => report.AtCarrier).ToHashSet();
            var waiting = driver.Orders.Count(
                order => order.Outcome is null && !atCarrier.Contains(order.Request.OrderId));
            if (waiting == 0 && ChooseVictim(driver, reports) is { } kill)
            {
                var survivors = reports.Where(pair => pair.Key != kill.Slot);
                kill.SurvivorsBefore = Sum(survivors.Select(pair => pair.Value.Metrics));
                return kill;
            }

            if (_view.Elapsed > deadline)
            {
                throw new TimeoutException(
                    $"{waiting} orders did not reach the carrier within {KillPointTimeout.TotalSeconds} s; "
                    + $"see the logs in {_root}.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static KillPoint? ChooseVictim(OrderDriver driver, Dictionary<int, SiloReport> reports)
    {
        var unfinished = driver.Orders
            .Where(order => order.Outcome is null)
            .Select(order => order.Request.OrderId)
            .ToHashSet();
        KillPoint? best = null;

        // Slot 0 is the primary silo of localhost clustering, so only the others are candidates.
        foreach (var (slot, report) in reports.Where(pair => pair.Key > 0))
        {
            var suspended = report.Orders
                .Where(pair => unfinished.Contains(pair.Key))
                .Where(pair => pair.Value is not (OrderStage.Shipped or OrderStage.Cancelled))
                .Select(pair => pair.Key)
                .Order()
                .ToList();
            if (suspended.Count > 0 && suspended.Count > (best?.Interrupted.Count ?? 0))
            {
                best = new KillPoint(slot, report.SiloAddress ?? "", suspended);
            }
        }

        return best;
    }

    private async Task KillAndReplaceAsync(KillPoint kill, OrderDriver driver, CancellationToken cancellationToken)
    {
        var victim = _silos[kill.Slot]!;
        victim.Kill();
        _view.Event(
            $"SIGKILL silo {kill.Slot} (pid {victim.ProcessId}, {kill.SiloAddress}) "
            + $"with {kill.Interrupted.Count} workflows suspended on it");

        // A new process on the same endpoint has a newer generation, so the cluster declares the killed silo dead
        // as soon as the replacement joins, if the missed probes have not done so before.
        var replacement = StartSilo(kill.Slot);
        _view.Event($"replacement silo {kill.Slot} starting (pid {replacement.ProcessId}) on the same ports");
        while (replacement.ReadReport() is not { Started: true })
        {
            ShowProgress(driver, ReadLiveReports(), kill.Interrupted.ToHashSet());
            await Task.Delay(PollInterval, cancellationToken);
            if (replacement.HasExited)
            {
                throw new InvalidOperationException($"The replacement silo exited; see {replacement.LogPath}.");
            }
        }

        _view.Event($"replacement silo {kill.Slot} joined; the killed silo is declared dead");

        // The client's requests to the killed silo may never get a response, so send them again under the same request
        // ids. They attach to the workflows rebuilt on the other silos.
        foreach (var order in driver.Orders.Where(order => kill.Interrupted.Contains(order.Request.OrderId)))
        {
            order.RequestResend();
        }
    }

    private async Task WaitForAllFinishedAsync(OrderDriver driver, KillPoint kill, CancellationToken cancellationToken)
    {
        var deadline = _view.Elapsed + FinishTimeout;
        var all = driver.WhenAllFinished();
        var interrupted = kill.Interrupted.ToHashSet();
        while (!all.IsCompleted)
        {
            ShowProgress(driver, ReadLiveReports(), interrupted);
            if (_view.Elapsed > deadline)
            {
                foreach (var order in driver.Orders.Where(order => order.Outcome is null))
                {
                    _view.Event(
                        $"unfinished: {order.Request.OrderId} after {order.Attempts} requests, "
                        + $"last error: {order.LastError?.Message}");
                }

                throw new TimeoutException(
                    $"{driver.Orders.Count - driver.Finished} workflows did not finish within "
                    + $"{FinishTimeout.TotalSeconds} s; see the logs in {_root}.");
            }

            await Task.WhenAny(all, Task.Delay(PollInterval, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        ShowProgress(driver, ReadLiveReports(), interrupted);
        await all;
    }

    private void ShowProgress(OrderDriver driver, Dictionary<int, SiloReport> reports, IReadOnlySet<string> interrupted)
    {
        var stages = new Dictionary<string, OrderStage>();
        foreach (var (orderId, stage) in reports.Values.SelectMany(report => report.Orders))
        {
            stages[orderId] = stages.TryGetValue(orderId, out var other) && other > stage ? other : stage;
        }

        int charging = 0, shipping = 0, recovering = 0;
        foreach (var order in driver.Orders.Where(order => order.Outcome is null))
        {
            switch (stages.GetValueOrDefault(order.Request.OrderId))
            {
                case OrderStage.Charging or OrderStage.Compensating:
                    charging++;
                    break;
                case OrderStage.Shipping:
                    shipping++;
                    break;
                case OrderStage.None when interrupted.Contains(order.Request.OrderId):
                    recovering++;
                    break;
            }
        }

        var totals = Sum(reports.Values.Select(report => report.Metrics));
        _view.Update(
            $"silos {reports.Count(pair => pair.Value.Started)}/{SiloCount} | "
            + $"charging {charging,2}  shipping {shipping,2}  " +
            $"recovering {recovering,2}  finished {driver.Finished,2}/{driver.Orders.Count} | " +
            $"re-sent {totals.Resends}  duplicates dropped {totals.DuplicatesDropped}");
    }

    private async Task<PluginTotals> ReadSurvivorTotalsAsync(CancellationToken cancellationToken)
    {
        foreach (var silo in _silos)
        {
            await silo!.WaitStartedAsync(SiloStartTimeout, cancellationToken);
        }

        // One report period, so that the files contain the counters of the last deliveries and results.
        await Task.Delay(PollInterval * 3, cancellationToken);
        return Sum(ReadLiveReports().Values.Select(report => report.Metrics));
    }

    private static PluginTotals Sum(IEnumerable<PluginTotals> totals)
    {
        var sum = new PluginTotals();
        foreach (var total in totals)
        {
            sum.Resends += total.Resends;
            sum.DuplicatesDropped += total.DuplicatesDropped;
            sum.Restores += total.Restores;
            sum.CheckpointsWritten += total.CheckpointsWritten;
        }

        return sum;
    }

    private async Task StopAsync(IHost? client, LocalAzurite? azurite, bool passed)
    {
        if (client is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await client.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The silos are killed next, so a client that fails to stop in time changes no result.
            }

            client.Dispose();
        }

        foreach (var silo in _started)
        {
            silo.Dispose();
        }

        azurite?.Dispose();
        if (passed)
        {
            Directory.Delete(_root, recursive: true);
        }
        else
        {
            Console.WriteLine($"Silo logs and checkpoints are kept in {_root}.");
        }
    }
}
