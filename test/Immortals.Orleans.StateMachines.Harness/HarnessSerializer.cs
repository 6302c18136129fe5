using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>Creates the Orleans serializer with the codecs of the harness and the workflow builds.</summary>
public static class HarnessSerializer
{
    /// <summary>Creates a serializer; <paramref name="extraAssemblies"/> add codecs of other assemblies.</summary>
    public static Serializer Create(params System.Reflection.Assembly[] extraAssemblies)
    {
        var services = new ServiceCollection();
        services.AddSerializer(builder =>
        {
            builder.AddAssembly(typeof(LeafCall).Assembly);
            foreach (var build in WorkflowBuilds.Names)
            {
                builder.AddAssembly(WorkflowBuilds.LoadAssembly(build));
            }

            foreach (var assembly in extraAssemblies)
            {
                builder.AddAssembly(assembly);
            }
        });
        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }
}
