namespace Immortals.Orleans.Benchmarks.Grains;

/// <summary>The immortal callee of <see cref="IStepWorkflowGrain"/>: each call is one step.</summary>
public interface IStepCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/>, records the step, and returns the new count.</summary>
    Task<int> Add(int amount);

    /// <summary>Returns the count.</summary>
    Task<int> GetCount();
}
