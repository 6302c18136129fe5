using Immortals.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// A checkpoint store registered exactly as a silo registers it, in a service provider without a silo, with its
/// options validated and its start-up step run.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public const string ProviderName = "checkpoints";

    private readonly ServiceProvider? _owned;

    private StoreHarness(ServiceProvider? owned, IServiceProvider services, CheckpointStorage store)
    {
        _owned = owned;
        Services = services;
        Store = store;
    }

    public IServiceProvider Services { get; }

    public CheckpointStorage Store { get; }

    public static async Task<StoreHarness> StartAsync(
        Action<IServiceCollection> register,
        string? serviceId = null,
        string providerName = ProviderName)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(serializer => serializer
            .AddAssembly(typeof(CheckpointState).Assembly)
            .AddAssembly(typeof(CheckpointEnvelope).Assembly));
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = "storage-tests";
            options.ServiceId = serviceId ?? $"service-{Guid.NewGuid():N}";
        });
        register(services);

        var provider = services.BuildServiceProvider();
        foreach (var validator in provider.GetServices<IConfigurationValidator>())
        {
            validator.ValidateConfiguration();
        }

        var store = (CheckpointStorage)provider.GetRequiredKeyedService<IGrainStorage>(providerName);
        await store.InitializeAsync(CancellationToken.None);
        return new StoreHarness(provider, provider, store);
    }

    /// <summary>Wraps a store that a running silo owns; disposing the harness leaves the silo alone.</summary>
    public static StoreHarness ForExisting(CheckpointStorage store, IServiceProvider services) =>
        new(null, services, store);

    public static GrainId Grain(string key) => GrainId.Create("test-grain", key);

    public async Task<GrainState<CheckpointState>> ReadAsync(GrainId grainId, string stateName = "state")
    {
        var state = new GrainState<CheckpointState>();
        await Store.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    public async Task<GrainState<CheckpointState>> WriteAsync(
        GrainId grainId,
        CheckpointState value,
        string? eTag,
        string stateName = "state")
    {
        var state = new GrainState<CheckpointState>(value, eTag);
        await Store.WriteStateAsync(stateName, grainId, state);
        return state;
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
