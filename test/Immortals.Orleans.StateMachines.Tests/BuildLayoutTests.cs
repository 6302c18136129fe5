using System.Reflection;
using System.Runtime.CompilerServices;
using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>The two workflow builds really produce the two state-machine layouts the engine must handle.</summary>
public sealed class BuildLayoutTests
{
    [Fact]
    public void Release_build_has_struct_state_machines()
    {
        var machines = StateMachineTypes("Release");

        Assert.NotEmpty(machines);
        Assert.All(machines, type => Assert.True(type.IsValueType, $"{type} is a class"));
    }

    [Fact]
    public void Debug_build_has_class_state_machines()
    {
        var machines = StateMachineTypes("Debug");

        Assert.NotEmpty(machines);
        Assert.All(machines, type => Assert.False(type.IsValueType, $"{type} is a struct"));
    }

    [Fact]
    public void Release_build_hoists_live_locals_only()
    {
        var spill = StateMachineOf("Release", "SpillAsync");

        Assert.True(spill.IsValueType);
        Assert.Contains(FieldNames("Release", "SpillAsync"), n => n.StartsWith("<>7__wrap", StringComparison.Ordinal));

        // LeavesAsync assigns "filtered" after its last await, so only the debug build hoists it.
        Assert.DoesNotContain(FieldNames("Release", "LeavesAsync"), n => n.StartsWith("<filtered>5__", StringComparison.Ordinal));
        Assert.Contains(FieldNames("Debug", "LeavesAsync"), n => n.StartsWith("<filtered>5__", StringComparison.Ordinal));
    }

    private static string[] FieldNames(string build, string method) =>
        StateMachineOf(build, method)
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(f => f.Name)
            .ToArray();

    private static Type StateMachineOf(string build, string method) =>
        WorkflowBuilds.LoadAssembly(build)
            .GetType("Immortals.Orleans.StateMachines.Workflows.Workflows")!
            .GetMethod(method)!
            .GetCustomAttribute<AsyncStateMachineAttribute>()!
            .StateMachineType;

    // Async iterators are left out: the compiler emits them as classes in every build.
    private static Type[] StateMachineTypes(string build) =>
        WorkflowBuilds.LoadAssembly(build)
            .GetTypes()
            .Where(t => typeof(IAsyncStateMachine).IsAssignableFrom(t) && t.IsDefined(typeof(CompilerGeneratedAttribute)))
            .Where(t => !t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerator<>)))
            .ToArray();
}
