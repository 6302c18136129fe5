using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.GrainReferences;

namespace Immortals.Orleans.Filters;

/// <summary>
/// Creates the silo's grain references with Orleans' own providers, then gives them
/// <see cref="ImmortalReferenceRuntime"/> as their runtime, so that calls of immortal grain methods can be recorded
/// without a silo-wide outgoing call filter. Registered ahead of Orleans' providers.
/// </summary>
internal sealed class ImmortalReferenceActivatorProvider(IServiceProvider services) : IGrainReferenceActivatorProvider
{
    private IGrainReferenceActivatorProvider[]? _providers;
    private ImmortalReferenceRuntime? _runtime;

    public bool TryGet(
        GrainType grainType,
        GrainInterfaceType interfaceType,
        [NotNullWhen(true)] out IGrainReferenceActivator? activator)
    {
        _providers ??= [.. services.GetServices<IGrainReferenceActivatorProvider>().Where(p => p != this)];
        _runtime ??= new ImmortalReferenceRuntime(services.GetRequiredService<IGrainReferenceRuntime>());
        foreach (var provider in _providers)
        {
            if (provider.TryGet(grainType, interfaceType, out var inner))
            {
                activator = new Activator(inner, _runtime);
                return true;
            }
        }

        activator = null;
        return false;
    }

    /// <summary>
    /// Creates references of the proxy type that Orleans chose, with the same shared properties except the runtime.
    /// </summary>
    private sealed class Activator(IGrainReferenceActivator inner, IGrainReferenceRuntime runtime)
        : IGrainReferenceActivator
    {
        private static readonly PropertyInfo? SharedProperty =
            typeof(GrainReference).GetProperty("Shared", BindingFlags.Instance | BindingFlags.NonPublic);

        private Func<IdSpan, GrainReference>? _create;

        public GrainReference CreateReference(GrainId grainId)
        {
            if (_create is { } create)
            {
                return create(grainId.Key);
            }

            // A reference with Orleans' own runtime would send the calls of immortal grains unrecorded, so an Orleans
            // version whose references cannot be rebuilt stops here instead.
            var reference = inner.CreateReference(grainId);
            _create = CreateFactory(reference, runtime) ?? throw new InvalidOperationException(
                $"Immortals.Orleans cannot give grain references of type {reference.GetType()} its call-recording "
                + "runtime: the type has no (GrainReferenceShared, IdSpan) constructor, or GrainReference has no "
                + "internal Shared property. Use Orleans 10.4.2, the version this plugin is built for.");
            return _create(grainId.Key);
        }

        private static Func<IdSpan, GrainReference>? CreateFactory(GrainReference reference, IGrainReferenceRuntime runtime)
        {
            var constructor = reference.GetType().GetConstructor(
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
                [typeof(GrainReferenceShared), typeof(IdSpan)]);
            if (constructor is null)
            {
                return null;
            }

            // Orleans keeps the shared properties internal; they are read once per grain type and interface.
            if (SharedProperty?.GetValue(reference) is not GrainReferenceShared original)
            {
                return null;
            }

            var shared = new GrainReferenceShared(
                original.GrainType,
                original.InterfaceType,
                original.InterfaceVersion,
                runtime,
                original.InvokeMethodOptions,
                original.CodecProvider,
                original.CopyContextPool,
                original.ServiceProvider);
            var invoker = ConstructorInvoker.Create(constructor);
            return key => (GrainReference)invoker.Invoke(shared, key);
        }
    }
}
