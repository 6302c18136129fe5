using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace SiloHost.Hosting;

/// <summary>Configures clustering, checkpoint storage and immortal grains on a sample silo.</summary>
public static class SiloConfiguration
{
    /// <summary>Name of the checkpoint store.</summary>
    public const string CheckpointStorageName = "checkpoints";

    /// <summary>Applies the settings to the silo builder.</summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="settings">Validated settings.</param>
    /// <param name="configuration">Configuration with the <c>Immortals</c> and <c>Membership</c> sections.</param>
    public static void Configure(ISiloBuilder silo, SampleSettings settings, IConfiguration configuration)
    {
        ConfigureClustering(silo, settings);
        ConfigureStorage(silo, settings);

        // The default grain directory drops the registrations that a dead silo held, so a message can create a
        // second activation of a grain that still runs on a surviving silo. The distributed directory recovers
        // those registrations from the surviving silos before it answers lookups again.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10.
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.AddImmortals(options =>
        {
            options.StorageName = CheckpointStorageName;
            configuration.GetSection("Immortals").Bind(options);
        });

        // Fast failure detection: the values in appsettings.json declare a silo dead within a few seconds.
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Membership"));
        silo.Configure<SiloMessagingOptions>(configuration.GetSection("Messaging"));
    }

    private static void ConfigureClustering(ISiloBuilder silo, SampleSettings settings)
    {
        if (settings.Clustering == ClusteringKinds.Localhost)
        {
            silo.UseLocalhostClustering(
                settings.SiloPort,
                settings.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, settings.PrimarySiloPort),
                settings.ServiceId,
                settings.ClusterId);
            return;
        }

        var connectionString = settings.StorageConnectionString();
        silo.UseAzureStorageClustering(options =>
        {
            options.TableServiceClient = new TableServiceClient(connectionString);
            options.TableName = settings.MembershipTable;
        });
        silo.Configure<ClusterOptions>(options =>
        {
            options.ServiceId = settings.ServiceId;
            options.ClusterId = settings.ClusterId;
        });
        silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort);
    }

    private static void ConfigureStorage(ISiloBuilder silo, SampleSettings settings)
    {
        if (settings.EffectiveStorage == StorageKinds.Local)
        {
            var path = Path.GetFullPath(settings.Directory);
            silo.AddLocalDirectoryImmortalStorage(CheckpointStorageName, options => options.Path = path);
            return;
        }

        var connectionString = settings.StorageConnectionString();
        silo.AddAzureTableImmortalStorage(CheckpointStorageName, options =>
        {
            options.Table.TableServiceClient = new TableServiceClient(connectionString);
            options.Table.TableName = settings.CheckpointTable;
            options.SpillBlobs.BlobServiceClient = new BlobServiceClient(connectionString);
            options.SpillBlobs.ContainerName = settings.SpillContainer;
        });
    }
}
