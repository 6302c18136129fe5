using System.Diagnostics;
using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using Immortals.Orleans.Benchmarks.Grains;
using Immortals.Orleans.Benchmarks.Immortal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// The benchmark program started as a silo process: a silo clustered through Azure Table membership on Azurite,
/// with immortal grains checkpointed to Azure Table. It prints <c>ready</c> once started, writes its memory and
/// checkpoint totals when it reads <c>memory</c> on standard input, and stops when its standard input closes.
/// </summary>
internal static class SiloRole
{
    /// <summary>First command-line argument that selects this role.</summary>
    public const string RoleName = "immortal-silo";

    /// <summary>Line printed once the silo has started.</summary>
    public const string ReadyLine = "ready";

    /// <summary>Command that requests a <see cref="MemoryLinePrefix"/> line.</summary>
    public const string MemoryCommand = "memory";

    /// <summary>
    /// Start of the line written for <see cref="MemoryCommand"/>: GC heap bytes after a full collection, working set
    /// bytes, checkpoints written, checkpoint bytes stored, store writes and store ETag conflicts.
    /// </summary>
    public const string MemoryLinePrefix = "memory ";

    /// <summary>Command that requests a <see cref="RegistryMeter.LinePrefix"/> line.</summary>
    public const string RegistryCommand = "registry";

    /// <summary>
    /// Runs the silo. Arguments: connection string, cluster id, checkpoint table, membership profile, step log path,
    /// silo port, gateway port.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 7)
        {
            await Console.Error.WriteLineAsync($"usage: Immortals.Orleans.Benchmarks {RoleName} CONNECTION_STRING "
                + "CLUSTER_ID TABLE PROFILE STEP_LOG SILO_PORT GATEWAY_PORT");
            return 2;
        }

        var (connectionString, clusterId, table, profile, stepLog) = (args[0], args[1], args[2], args[3], args[4]);
        var siloPort = int.Parse(args[5], CultureInfo.InvariantCulture);
        var gatewayPort = int.Parse(args[6], CultureInfo.InvariantCulture);
        var store = new CheckpointStore(connectionString, table);
        using var meter = new CheckpointMeter();
        using var registryMeter = new RegistryMeter();
        using var recorder = new StepRecorder(stepLog);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();

        // The recovery timeline: membership and messaging events of Orleans, and the plugin's own events.
        builder.Logging.AddProvider(new TimelineLoggerProvider(TimelinePath(stepLog)));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.MembershipService", LogLevel.Information);
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Information);
        builder.Logging.AddFilter("Immortals", LogLevel.Debug);
        builder.Services.AddSingleton(recorder);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = clusterId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            silo.UseAzureStorageClustering(options =>
                options.TableServiceClient = new TableServiceClient(connectionString));
            silo.Configure<ClusterMembershipOptions>(MembershipProfile.Parse(profile).Configure);

            // Parked workflows hold ordinary calls open for as long as a run lasts.
            silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromMinutes(30));
            store.AddTo(silo);
        });
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(ReadyLine);

        // The benchmark closes standard input to stop the silo, or kills the process to simulate a crash.
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == MemoryCommand)
            {
                Console.WriteLine(DescribeMemory(meter.Read()));
            }
            else if (command == RegistryCommand)
            {
                Console.WriteLine(registryMeter.Describe());
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        return 0;
    }

    /// <summary>Returns the path of the timeline log of the silo whose step log is <paramref name="stepLog"/>.</summary>
    public static string TimelinePath(string stepLog) => Path.ChangeExtension(stepLog, ".timeline.log");

    private static string DescribeMemory(CheckpointMeter.Totals totals)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{MemoryLinePrefix}{heap} {process.WorkingSet64} {totals.Checkpoints} {totals.StoredBytes} "
            + $"{totals.StorageWrites} {totals.Conflicts}");
    }
}
