using System.Collections.Concurrent;
using Immortals.Orleans.Filters;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.StateMachines;
using Immortals.Orleans.Waits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Storage;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Silo-wide services shared by the immortal grain activations of one silo.</summary>
internal sealed class ImmortalRuntime
{
    private readonly IServiceProvider _services;
    private readonly GrainClassMap _grainClasses;
    private readonly ConcurrentDictionary<GrainType, bool> _immortalTypes = new();
    private readonly ConcurrentDictionary<ImmortalActivation, byte> _activations = new();
    private IGrainStorage? _storage;

    public ImmortalRuntime(
        IServiceProvider services,
        IOptions<ImmortalOptions> options,
        Serializer serializer,
        GrainClassMap grainClasses,
        ILoggerFactory loggerFactory)
    {
        _services = services;
        _grainClasses = grainClasses;
        Options = options.Value;
        Serializer = serializer;
        Engine = new AsyncFrameEngine(serializer);
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        WaitTimeProvider = services.GetKeyedService<TimeProvider>(ImmortalOptions.TimeProviderServiceKey)
            ?? TimeProvider;
        Logger = loggerFactory.CreateLogger("Immortals.Orleans.Runtime");
        Registry = new WakeRegistry(this);
        ImmortalWaitsAccessor.Install(static () => ImmortalActivation.CurrentRoot);
        ImmortalIncomingCallHook.Install(ImmortalIncomingCallFilter.Invoke);

        // The host signals stopping before the silo drops its connections, so activations close before their calls
        // in flight fail because of the shutdown.
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(CloseAll);
    }

    private void CloseAll()
    {
        foreach (var activation in _activations.Keys)
        {
            activation.CloseForSiloStop();
        }
    }

    public ImmortalOptions Options { get; }

    public Serializer Serializer { get; }

    public AsyncFrameEngine Engine { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Clock of durable delays and signal retention: the provider registered under
    /// <see cref="ImmortalOptions.TimeProviderServiceKey"/>, else <see cref="TimeProvider"/>. Back-offs, resends and
    /// sweeps stay on <see cref="TimeProvider"/>, so a simulated wait clock does not stall them.
    /// </summary>
    public TimeProvider WaitTimeProvider { get; }

    public ILogger Logger { get; }

    public WakeRegistry Registry { get; }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    public IGrainReferenceRuntime ReferenceRuntime => _services.GetRequiredService<IGrainReferenceRuntime>();

    public IGrainRuntime GrainRuntime => _services.GetRequiredService<IGrainRuntime>();

    /// <summary>The checkpoint store, resolved on first use because providers are created after the runtime.</summary>
    public IGrainStorage Storage =>
        _storage ??= _services.GetRequiredKeyedService<IGrainStorage>(
            Options.StorageName ?? ImmortalOptions.DefaultStorageName);

    /// <summary>Activations of immortal grains on this silo.</summary>
    public IEnumerable<ImmortalActivation> Activations => _activations.Keys;

    /// <summary>Whether grains of a grain type are immortal.</summary>
    public bool IsImmortal(GrainType grainType) =>
        _immortalTypes.GetOrAdd(grainType, type => TryGetGrainClass(type, out var grainClass)
            && typeof(IImmortalGrain).IsAssignableFrom(grainClass));

    /// <summary>Returns the grain class of a grain type.</summary>
    public bool TryGetGrainClass(GrainType grainType, out Type grainClass) =>
        _grainClasses.TryGetGrainClass(grainType, out grainClass!);

    public void Track(ImmortalActivation activation) => _activations.TryAdd(activation, 0);

    public void Untrack(ImmortalActivation activation) => _activations.TryRemove(activation, out _);
}
