using System.Net;
using System.Net.Sockets;
using Immortals.Orleans.Benchmarks.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>A single silo in the benchmark process, on localhost clustering with free ports.</summary>
internal sealed class LocalSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private LocalSilo(IHost host, StepRecorder recorder)
    {
        _host = host;
        Recorder = recorder;
    }

    /// <summary>Grain factory of the silo; calls through it run outside any grain.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Where the benchmark grains of this silo record their steps.</summary>
    public StepRecorder Recorder { get; }

    /// <summary>Starts a silo configured by <paramref name="configure"/>.</summary>
    public static async Task<LocalSilo> StartAsync(Action<ISiloBuilder> configure)
    {
        var recorder = new StepRecorder();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(recorder);
        var serviceId = $"bench-{Guid.NewGuid():N}";
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: serviceId, clusterId: serviceId);
            configure(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new LocalSilo(host, recorder);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
        Recorder.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
