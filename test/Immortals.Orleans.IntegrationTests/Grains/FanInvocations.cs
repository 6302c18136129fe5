using System.Collections.Concurrent;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// Counts how often the in-process silos ran a worker method for each call index, so that a test counts repeated
/// executions and not only their committed effect.
/// </summary>
public static class FanInvocations
{
    private static readonly ConcurrentDictionary<(string RunKey, int Index), int> Counts = new();

    public static void Record(string runKey, int index) => Counts.AddOrUpdate((runKey, index), 1, (_, count) => count + 1);

    public static int CountOf(string runKey, int index) => Counts.GetValueOrDefault((runKey, index));

    /// <summary>Number of distinct call indices of a run that ran at least once.</summary>
    public static int Started(string runKey) => Counts.Keys.Count(key => key.RunKey == runKey);
}
