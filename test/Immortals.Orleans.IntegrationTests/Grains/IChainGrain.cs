using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain in the middle of a chain: its caller is immortal and so is its callee.</summary>
public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter, passes gate <paramref name="step"/> and returns the counter's count.</summary>
    Task<int> Forward(string counterKey, string gateKey, int step);

    /// <summary>Returns how often <see cref="Forward"/> completed; interleaves with any running method.</summary>
    [AlwaysInterleave]
    Task<int> GetForwarded();

    /// <summary>Adds 1 to the counter, then reads <see cref="GetForwarded"/> through a reference to itself.</summary>
    Task<int> ForwardAndReadSelf(string counterKey);
}
