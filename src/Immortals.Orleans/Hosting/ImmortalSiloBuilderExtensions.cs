using Orleans.GrainReferences;
using Immortals.Orleans.Checkpointing;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Filters;
using Immortals.Orleans.Roots;
using Immortals.Orleans.Waits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Immortals.Orleans.Hosting;

/// <summary>Enables immortal grains on a silo.</summary>
public static class ImmortalSiloBuilderExtensions
{
    /// <summary>
    /// Enables immortal grains: grain classes that implement <see cref="IImmortalGrain"/> are checkpointed while
    /// their methods await calls and recover on another silo after a failure.
    /// </summary>
    /// <remarks>
    /// Call it before adding other outgoing grain call filters: calls that immortal grains make do not pass
    /// through filters added after it. Options are validated at silo start. An error names the invalid option.
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options, for example the name of the checkpoint store.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddImmortals(this ISiloBuilder builder, Action<ImmortalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ImmortalOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var probe = new ImmortalOptions();
        configure?.Invoke(probe);
        if (probe.StorageName is null)
        {
            builder.AddLocalDirectoryImmortalStorage(ImmortalOptions.DefaultStorageName, local => local.Path =
                probe.DefaultDirectory);
        }

        // Ahead of Orleans' own providers, which the first provider that accepts a grain type wins.
        builder.Services.Insert(
            0,
            ServiceDescriptor.Singleton<IGrainReferenceActivatorProvider, ImmortalReferenceActivatorProvider>());
        builder.AddGrainExtension<IImmortalDeliveryExtension, ImmortalDeliveryExtension>();
        builder.AddGrainExtension<IImmortalRequestExtension, ImmortalRequestExtension>();
        builder.AddGrainExtension<IImmortalSignalExtension, ImmortalSignalExtension>();
        builder.Services.TryAddSingleton<ImmortalRuntime>();
        builder.Services.AddSingleton<IConfigureGrainContextProvider, ImmortalGrainContextConfigurator>();
        builder.Services.AddSingleton<WakeScanner>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            services => services.GetRequiredService<WakeScanner>());
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RecoveryWarmUp>();
        builder.Services.AddTransient<IConfigurationValidator>(services => new ImmortalOptionsValidator(
            services.GetRequiredService<IOptions<ImmortalOptions>>().Value,
            services));
        return builder;
    }
}
