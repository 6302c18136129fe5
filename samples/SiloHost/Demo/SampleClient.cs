using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Clustering.AzureStorage;
using Orleans.Configuration;
using SiloHost.Hosting;

namespace SiloHost.Demo;

/// <summary>Builds an Orleans client that connects to sample silos.</summary>
public static class SampleClient
{
    /// <summary>Starts a client connected to the cluster and returns its host.</summary>
    /// <param name="clustering"><see cref="ClusteringKinds.Localhost"/> or <see cref="ClusteringKinds.Azure"/>.</param>
    /// <param name="serviceId">Orleans service id of the silos.</param>
    /// <param name="clusterId">Orleans cluster id of the silos.</param>
    /// <param name="gatewayPorts">Gateway ports on 127.0.0.1, for localhost clustering.</param>
    /// <param name="connectionString">Storage account of the membership table, for Azure clustering.</param>
    /// <param name="membershipTable">Membership table, for Azure clustering.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    public static async Task<IHost> StartAsync(
        string clustering,
        string serviceId,
        string clusterId,
        IReadOnlyList<int> gatewayPorts,
        string? connectionString,
        string membershipTable,
        CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // The client logs a warning for every request to a killed silo, which is what the demo provokes.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (clustering == ClusteringKinds.Localhost)
            {
                client.UseLocalhostClustering([.. gatewayPorts], serviceId, clusterId);
            }
            else
            {
                client.UseAzureStorageClustering((AzureStorageGatewayOptions options) =>
                {
                    options.TableServiceClient = new TableServiceClient(connectionString);
                    options.TableName = membershipTable;
                });
                client.Configure<ClusterOptions>(options =>
                {
                    options.ServiceId = serviceId;
                    options.ClusterId = clusterId;
                });
                client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            }

            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(30));
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Returns the cluster client of a host started by <see cref="StartAsync"/>.</summary>
    public static IClusterClient Client(IHost host) => host.Services.GetRequiredService<IClusterClient>();
}
