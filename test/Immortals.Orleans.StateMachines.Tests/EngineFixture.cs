using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>One serializer and driver for all tests of a class; building the serializer scans assemblies once.</summary>
public sealed class EngineFixture
{
    /// <summary>Driver over the shared serializer.</summary>
    internal ScenarioDriver Driver { get; } = new(HarnessSerializer.Create(typeof(EngineFixture).Assembly));
}
