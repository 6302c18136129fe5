namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// An ordinary grain on the caller's silo that keeps any number of calls waiting at their <see cref="TestGates"/>
/// gates at once.
/// </summary>
public interface IParkGrain : IGrainWithIntegerKey
{
    Task Pass(string gateKey, int step);
}
