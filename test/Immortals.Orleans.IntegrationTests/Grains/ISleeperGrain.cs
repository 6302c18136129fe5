namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An ordinary grain that waits.</summary>
public interface ISleeperGrain : IGrainWithIntegerKey
{
    Task Sleep(int milliseconds);
}
