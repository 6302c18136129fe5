using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.IntegrationTests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Immortals.Orleans.IntegrationTests;

/// <summary>
/// AddImmortals on a real silo host: the embedded store, option validation at start and the registered call filters.
/// </summary>
public sealed class HostingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"immortals-hosting-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Default_store_is_local_directory()
    {
        using var host = BuildHost(options => options.DefaultDirectory = _directory);
        await host.StartAsync();
        try
        {
            var counter = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("local-counter");

            Assert.Equal(3, await counter.Add(3));

            Assert.NotEmpty(Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Silo_has_no_silo_wide_incoming_call_filter()
    {
        using var host = BuildHost(options => options.DefaultDirectory = _directory);

        // Orleans skips its incoming filter pipeline for a grain without a grain-level filter only when no silo-wide
        // filter is registered. Immortal grains bring their own filter, so ordinary grains keep the plain call path.
        Assert.Empty(host.Services.GetServices<IIncomingGrainCallFilter>());
    }

    [Fact]
    public void Silo_has_no_silo_wide_outgoing_call_filter()
    {
        using var host = BuildHost(options => options.DefaultDirectory = _directory);

        // A silo-wide outgoing filter would send every call of every grain through Orleans' filter pipeline. The
        // plugin records the calls of immortal grains in the runtime of the silo's grain references instead.
        Assert.Empty(host.Services.GetServices<IOutgoingGrainCallFilter>());
    }

    [Fact]
    public async Task Start_prepares_immortal_method_layouts()
    {
        using var host = BuildHost(options => options.DefaultDirectory = _directory);
        await host.StartAsync();
        try
        {
            var warmUp = host.Services.GetServices<ILifecycleParticipant<ISiloLifecycle>>()
                .OfType<RecoveryWarmUp>()
                .Single();
            var waitingGrainMethods = typeof(WaitingGrain)
                .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Count(method => method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null);

            var layouts = await warmUp.PrepareAsync();

            Assert.True(waitingGrainMethods > 0);
            Assert.True(layouts > waitingGrainMethods, $"{layouts} layouts, {waitingGrainMethods} in WaitingGrain");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData(nameof(ImmortalOptions.ResendDelay))]
    [InlineData(nameof(ImmortalOptions.StorageName))]
    [InlineData(nameof(ImmortalOptions.RegistryShards))]
    [InlineData(nameof(ImmortalOptions.ExpiredRequestIdRetention))]
    public async Task Invalid_option_stops_silo_start(string option)
    {
        using var host = BuildHost(options =>
        {
            options.DefaultDirectory = _directory;
            switch (option)
            {
                case nameof(ImmortalOptions.ResendDelay):
                    options.ResendDelay = TimeSpan.Zero;
                    break;
                case nameof(ImmortalOptions.StorageName):
                    options.StorageName = "missing-store";
                    break;
                case nameof(ImmortalOptions.ExpiredRequestIdRetention):
                    options.ExpiredRequestIdRetention = TimeSpan.FromSeconds(-1);
                    break;
                default:
                    options.RegistryShards = 0;
                    break;
            }
        });

        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(() => host.StartAsync());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Action<ImmortalOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddImmortals(configure));
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
