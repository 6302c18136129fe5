using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Immortals.Orleans.Benchmarks.Dtfx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>
/// One cluster of silo processes on Azurite: a unique cluster id and checkpoint table, the silo processes started
/// so far, and a client in the benchmark process that finds the silos through the membership table.
/// </summary>
internal sealed class SiloDeployment : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;

    /// <summary>A deployment on the Azurite of <paramref name="connectionString"/>; starts nothing yet.</summary>
    public SiloDeployment(string connectionString, MembershipProfile profile, string folder)
    {
        ConnectionString = connectionString;
        Profile = profile;
        Folder = folder;
    }

    /// <summary>Azurite connection string with explicit 127.0.0.1 endpoints.</summary>
    public string ConnectionString { get; }

    /// <summary>Membership settings of the silos.</summary>
    public MembershipProfile Profile { get; }

    /// <summary>Folder of the step logs.</summary>
    public string Folder { get; }

    /// <summary>Cluster id and service id.</summary>
    public string ClusterId { get; } = $"bench-{Guid.NewGuid():N}";

    /// <summary>Checkpoint table.</summary>
    public string TableName { get; } = $"rec{Guid.NewGuid():N}";

    /// <summary>The client; valid after <see cref="ConnectClientAsync"/>.</summary>
    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>()
        ?? throw new InvalidOperationException("The client is not connected.");

    /// <summary>Starts a silo process named <paramref name="name"/> in the cluster.</summary>
    public async Task<SiloProcess> StartSiloAsync(string name)
    {
        var silo = await SiloProcess.StartAsync(this, name);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Starts the client and connects it to the running silos.</summary>
    public async Task ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = ClusterId;
            });
            client.UseAzureStorageClustering(options =>
                options.TableServiceClient = new TableServiceClient(ConnectionString));
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromMinutes(30));
        });
        _client = builder.Build();
        await _client.StartAsync();
    }

    /// <summary>Reads the steps that <paramref name="silo"/> recorded so far.</summary>
    public static IReadOnlyList<StepRecord> Steps(SiloProcess silo) => StepLog.Read(silo.StepLogPath);

    /// <summary>Returns a free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the client and every silo process still running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _client.StopAsync(timeout.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or OrleansException)
            {
                // A client whose silos were killed may fail to stop cleanly.
            }

            _client.Dispose();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }
}
