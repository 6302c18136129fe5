namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An ordinary grain that stops a workflow at a step chosen by the test, through <see cref="TestGates"/>.</summary>
public interface IGateGrain : IGrainWithIntegerKey
{
    Task Pass(string gateKey, int step);
}
