using System.Reflection;

namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Loads the builds of the workflow sources: <c>Release</c> (optimized, struct state machines) and
/// <c>Debug</c> (class state machines that hoist every local).
/// </summary>
public static class WorkflowBuilds
{
    /// <summary>Names of the builds.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Release", "Debug"];

    /// <summary>Returns the assembly of a build.</summary>
    public static Assembly LoadAssembly(string build) =>
        Assembly.Load("Immortals.Orleans.StateMachines.Workflows." + build);

    /// <summary>Returns the scenario catalog of a build.</summary>
    public static IWorkflowCatalog Load(string build)
    {
        var type = LoadAssembly(build).GetType("Immortals.Orleans.StateMachines.Workflows.WorkflowCatalog", throwOnError: true)!;
        return (IWorkflowCatalog)Activator.CreateInstance(type)!;
    }
}
