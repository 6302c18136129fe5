using System.Net;
using System.Net.Sockets;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// A silo that keeps checkpoints in Orleans' memory grain storage, named by the user, shared by the tests of
/// <see cref="GrainStorageCheckpointStorageTests"/>.
/// </summary>
public sealed class MemoryProviderSilo : IAsyncLifetime
{
    public const string MemoryProviderName = "user-memory";

    private IHost? _host;

    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort(), serviceId: $"service-{Guid.NewGuid():N}")
            .AddMemoryGrainStorage(MemoryProviderName)
            .AddGrainStorageImmortalStorage(StoreHarness.ProviderName, o => o.ProviderName = MemoryProviderName));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class GrainStorageCheckpointStorageTests(MemoryProviderSilo silo)
    : CheckpointStoreContract, IClassFixture<MemoryProviderSilo>
{
    private protected override Task<StoreHarness> StartStoreAsync() =>
        Task.FromResult(StoreHarness.ForExisting(
            (CheckpointStorage)silo.Services.GetRequiredKeyedService<IGrainStorage>(StoreHarness.ProviderName),
            silo.Services));

    [Fact]
    public async Task Checkpoint_lands_in_named_provider()
    {
        await using var harness = await StartStoreAsync();
        var grain = StoreHarness.Grain($"lands-{Guid.NewGuid():N}");
        await harness.WriteAsync(grain, CheckpointState.Create(256, 9), null);

        var direct = new GrainState<CheckpointState>();
        var memory = silo.Services.GetRequiredKeyedService<IGrainStorage>(MemoryProviderSilo.MemoryProviderName);
        await memory.ReadStateAsync("state", grain, direct);

        Assert.True(direct.RecordExists);
        Assert.Equal(9, direct.State!.Version);
    }
}
