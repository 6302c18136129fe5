using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>
/// An in-process Orleans cluster in which any silo may die, with immortal grains checkpointed in a unique Azure
/// table on Azurite.
/// </summary>
public sealed class ImmortalCluster : IAsyncDisposable
{
    public const string StorageName = "checkpoints";

    private ImmortalCluster(InProcessTestCluster cluster, string tableName, string containerName)
    {
        Cluster = cluster;
        TableName = tableName;
        ContainerName = containerName;
    }

    public InProcessTestCluster Cluster { get; }

    public string TableName { get; }

    /// <summary>Blob container where the table store spills checkpoints too large for a table entity.</summary>
    public string ContainerName { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Starts a cluster of <paramref name="silos"/> silos.</summary>
    /// <param name="connectionString">Azurite connection string.</param>
    /// <param name="silos">Number of silos.</param>
    /// <param name="responseTimeout">Orleans response timeout of silo-to-silo calls; 60 seconds when not set.</param>
    /// <param name="tableName">Checkpoint table; a new unique table when not set.</param>
    /// <param name="serviceId">Orleans service id; clusters that share it and the table share checkpoints.</param>
    /// <param name="clientResponseTimeout">Response timeout of the cluster client; two minutes when not set.</param>
    /// <param name="configureImmortals">Changes the immortal grain options after the harness set its own.</param>
    /// <param name="configureSilo">Configures every silo further, for example to register a time provider.</param>
    public static async Task<ImmortalCluster> StartAsync(
        string connectionString,
        short silos,
        TimeSpan? responseTimeout = null,
        string? tableName = null,
        string? serviceId = null,
        TimeSpan? clientResponseTimeout = null,
        Action<ImmortalOptions>? configureImmortals = null,
        Action<ISiloBuilder>? configureSilo = null)
    {
        tableName ??= $"t{Guid.NewGuid():N}";
        var containerName = $"c{Guid.NewGuid():N}";
        var builder = new InProcessTestClusterBuilder(silos);
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Logging.AddFilter("Immortals", LogLevel.Debug);
            var logFile = Environment.GetEnvironmentVariable("IMMORTALS_TEST_LOG");
            if (!string.IsNullOrEmpty(logFile))
            {
                host.Logging.AddProvider(new FileLoggerProvider(logFile));
            }
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddImmortals(options =>
            {
                options.StorageName = StorageName;
                options.ResendDelay = TimeSpan.FromMilliseconds(500);
                options.MaxResendDelay = TimeSpan.FromSeconds(2);
                options.RegistrySweepPeriod = TimeSpan.FromSeconds(5);
                configureImmortals?.Invoke(options);
            });
            silo.AddAzureTableImmortalStorage(StorageName, options =>
            {
                options.Table.TableServiceClient = new TableServiceClient(connectionString);
                options.Table.TableName = tableName;
                options.SpillBlobs.BlobServiceClient = new BlobServiceClient(connectionString);
                options.SpillBlobs.ContainerName = containerName;
            });
            silo.Configure<SiloMessagingOptions>(options =>
            {
                options.ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(60);
                options.SystemResponseTimeout = TimeSpan.FromSeconds(10);
            });
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
            });
            configureSilo?.Invoke(silo);
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(
            options => options.ResponseTimeout = clientResponseTimeout ?? TimeSpan.FromMinutes(2)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ImmortalCluster(cluster, tableName, containerName);
    }

    /// <summary>Returns the silo where a grain is active, or <see langword="null"/>.</summary>
    public InProcessSiloHandle? SiloOf(IAddressable grain)
    {
        if (!Cluster.TryGetGrainContext(grain.GetGrainId(), out var context))
        {
            return null;
        }

        return Cluster.Silos.FirstOrDefault(silo => silo.IsActive && silo.SiloAddress.Equals(context.Address.SiloAddress));
    }

    /// <summary>Kills the silo where a grain is active and returns it.</summary>
    /// <param name="grain">The grain whose silo dies.</param>
    /// <param name="onStopping">Runs once the silo has begun to stop and the grain's immortal activation has closed,
    /// for example to release gates that requests on the dying silo wait for. A killed silo's host does not finish
    /// stopping while such requests run.</param>
    public async Task<InProcessSiloHandle> KillSiloOfAsync(IAddressable grain, Action? onStopping = null)
    {
        var silo = SiloOf(grain) ?? throw new InvalidOperationException($"Grain {grain.GetGrainId()} is not active.");
        Cluster.TryGetGrainContext(grain.GetGrainId(), out var context);
        var activation = context?.GetComponent<ImmortalActivation>();
        await KillAsync(silo, async () =>
        {
            while (activation is { IsClosed: false })
            {
                await Task.Delay(10);
            }

            onStopping?.Invoke();
        });
        return silo;
    }

    /// <summary>Kills a silo, running <paramref name="onStopping"/> once it has begun to stop.</summary>
    public async Task KillAsync(InProcessSiloHandle silo, Func<Task>? onStopping = null)
    {
        var stopping = silo.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var kill = Cluster.KillSiloAsync(silo);
        await Task.Delay(Timeout.Infinite, stopping).ContinueWith(_ => { }, TaskScheduler.Default)
            .WaitAsync(TimeSpan.FromSeconds(30));
        if (onStopping is not null)
        {
            await onStopping().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await kill.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts silos until <paramref name="count"/> are active.</summary>
    public async Task EnsureSilosAsync(int count)
    {
        while (Cluster.GetActiveSilos().Count() < count)
        {
            await Cluster.StartAdditionalSiloAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // Silos killed by a test may fail to stop cleanly; the process exits anyway.
        }

        await Cluster.DisposeAsync();
    }
}
