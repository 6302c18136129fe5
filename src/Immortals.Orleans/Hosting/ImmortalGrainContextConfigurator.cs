using Immortals.Orleans.Checkpointing;
using Orleans.Metadata;

namespace Immortals.Orleans.Hosting;

/// <summary>
/// Attaches an <see cref="ImmortalActivation"/> to every activation of a grain class that implements
/// <see cref="IImmortalGrain"/>, and subscribes its recovery to the grain lifecycle before
/// <c>OnActivateAsync</c>. Rejects a grain class that declares its own incoming call filter.
/// </summary>
internal sealed class ImmortalGrainContextConfigurator(ImmortalRuntime runtime) : IConfigureGrainContextProvider
{
    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, out IConfigureGrainContext configurator)
    {
        if (!runtime.TryGetGrainClass(grainType, out var grainClass) || !typeof(IImmortalGrain).IsAssignableFrom(grainClass))
        {
            configurator = null!;
            return false;
        }

        ImmortalGrainClassCheck.ThrowIfOwnIncomingFilter(grainClass);

        // NOTE: [StatelessWorker] immortal grains are not rejected, although their activations would fence each
        // other.
        configurator = new Configurator(runtime, grainClass);
        return true;
    }

    private sealed class Configurator(ImmortalRuntime runtime, Type grainClass) : IConfigureGrainContext
    {
        public void Configure(IGrainContext context)
        {
            var activation = new ImmortalActivation(context, runtime, grainClass);
            context.SetComponent(activation);
            context.ObservableLifecycle.Subscribe(
                nameof(ImmortalActivation),
                GrainLifecycleStage.SetupState,
                activation.StartAsync,
                activation.StopAsync);
        }
    }
}
