using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal callee of fan-out tests: each call counts its execution and may wait at a test gate.</summary>
public interface IFanWorkerGrain : IGrainWithStringKey
{
    /// <summary>Counts the execution, waits at gate <paramref name="index"/> of <paramref name="runKey"/> when a
    /// test armed it, and returns <paramref name="index"/> + 1.</summary>
    Task<int> Work(string runKey, int index);

    /// <summary>Returns how many calls completed: the committed effect.</summary>
    Task<int> GetCompleted();

    /// <summary>Records <paramref name="value"/> for a one-way call and counts its execution under index 0.</summary>
    [OneWay]
    Task Notify(string runKey, int value);

    /// <summary>
    /// Counts its execution under index 1, waits at gate 2 of <paramref name="runKey"/> when a test armed it, and
    /// records <paramref name="value"/>; a one-way method whose callee stores the request before it finishes.
    /// </summary>
    [OneWay]
    Task NotifyAfterGate(string runKey, int value);

    /// <summary>Returns the values that one-way calls recorded, in order of arrival.</summary>
    Task<List<int>> GetNotes();
}
