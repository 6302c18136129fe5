namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal counter: its count is the committed effect that tests count.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    Task<int> GetCount();

    /// <summary>Waits at a test gate (through an ordinary grain), then adds.</summary>
    Task<int> AddAfterGate(string gateKey, int step, int amount);

    /// <summary>Waits at a test gate, then throws <see cref="InvalidOperationException"/>.</summary>
    Task FailAfterGate(string gateKey, int step, string message);

    /// <summary>Runs longer than the response timeout by calling an ordinary sleeper grain several times.</summary>
    Task<int> AddSlowly(int amount, int naps, int napMilliseconds);

    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="fail"/> is set, before its first
    /// await; otherwise waits at a test gate and adds.</summary>
    Task<int> AddUnlessFailing(bool fail, string gateKey, int amount);

    /// <summary>Throws <see cref="InvalidOperationException"/> from a method that is not async.</summary>
    Task<int> ThrowAtOnce(string message);
}
