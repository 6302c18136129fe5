using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.GrainStorage;

/// <summary>
/// Keeps checkpoints in another grain storage provider of the silo, named by
/// <see cref="GrainStorageImmortalStorageOptions.ProviderName"/>, and adds the plugin's error messages, logs and
/// metrics on top.
/// </summary>
/// <remarks>
/// The target provider stores the checkpoint in its own format and key scheme, and decides how it checks ETags.
/// NOTE: the plugin's guarantees (stale ETags rejected, odd grain ids kept apart, unreadable checkpoints left
/// unchanged) hold only as far as the target provider gives them. This store adds no write id and no checksum, so a
/// write whose response was lost may surface as a conflict, and a changed bit is caught only by the target provider.
/// </remarks>
internal sealed class GrainStorageCheckpointStorage : CheckpointStorage
{
    /// <summary>Kind of this store in messages, logs and metrics.</summary>
    public const string StoreKind = "grain storage provider";

    private readonly string _providerName;
    private readonly IServiceProvider _services;
    private IGrainStorage? _target;

    public GrainStorageCheckpointStorage(
        string name,
        string serviceId,
        GrainStorageImmortalStorageOptions options,
        IServiceProvider services,
        IActivatorProvider activators,
        ILogger<GrainStorageCheckpointStorage> logger,
        TimeProvider timeProvider)
        : base(name, $"{StoreKind} '{options.ProviderName}'", serviceId, activators, logger, timeProvider)
    {
        _providerName = options.ProviderName!;
        _services = services;
    }

    /// <inheritdoc />
    protected override int InitStage => ServiceLifecycleStage.ApplicationServices;

    /// <inheritdoc />
    public override Task InitializeAsync(CancellationToken cancellationToken)
    {
        _ = Target;
        Logger.StorageInitialized(Kind, Name, $"provider {_providerName}");
        return Task.CompletedTask;
    }

    private IGrainStorage Target => _target ??= _services.GetKeyedService<IGrainStorage>(_providerName)
        ?? throw new CheckpointStorageException(
            Name,
            Kind,
            "none",
            isCorrupt: false,
            $"Checkpoint storage '{Name}' names grain storage provider '{_providerName}', which is not registered. " +
            "Register it on the silo builder, for example with AddAdoNetGrainStorage or AddMemoryGrainStorage.",
            null);

    /// <inheritdoc />
    protected override async Task<long?> ReadCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        await Target.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
        return grainState.RecordExists ? 0 : null;
    }

    /// <inheritdoc />
    protected override async Task<long> WriteCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken)
    {
        await Target.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        return 0;
    }

    /// <inheritdoc />
    protected override Task ClearCoreAsync<T>(
        CheckpointIdentity identity,
        GrainId grainId,
        string stateName,
        IGrainState<T> grainState,
        CancellationToken cancellationToken) =>
        Target.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
}
