namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>An immortal workflow whose steps are calls to an immortal <see cref="IStepCounterGrain"/>.</summary>
public interface IStepWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter <paramref name="steps"/> times in sequence and returns the sum of the counts.</summary>
    Task<int> Run(string counterKey, int steps);

    /// <summary>
    /// Makes one call that activates the counter, waits at the ordinary park grain until it is released, then runs
    /// <paramref name="steps"/> steps as <see cref="Run"/> does.
    /// </summary>
    Task<int> RunAfterPark(string counterKey, int steps, string parkKey);

    /// <summary>Waits at the ordinary park grain, suspended, until it is released.</summary>
    Task<int> Park(string parkKey);

    /// <summary>
    /// Adds 1 to <paramref name="calls"/> counters at once (<c>Task.WhenAll</c>) and returns the sum of the counts.
    /// </summary>
    Task<int> FanOut(string counterPrefix, int calls);
}
