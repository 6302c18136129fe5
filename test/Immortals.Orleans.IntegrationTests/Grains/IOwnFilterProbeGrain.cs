namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>Interface of an immortal grain class that declares its own incoming call filter, which is rejected.</summary>
public interface IOwnFilterProbeGrain : IContextProbeGrain
{
}
