using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An ordinary grain with a one-way method, called by immortal grains in fan-out tests.</summary>
public interface INoteGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts its execution in <see cref="FanInvocations"/> under <paramref name="index"/>, then passes gate
    /// <paramref name="index"/> of <paramref name="runKey"/> when it is armed.
    /// </summary>
    [OneWay]
    Task Note(string runKey, int index);
}
