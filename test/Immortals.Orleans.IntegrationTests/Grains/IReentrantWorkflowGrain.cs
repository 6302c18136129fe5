namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>A <c>[Reentrant]</c> immortal grain whose methods interleave at awaits.</summary>
public interface IReentrantWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter <paramref name="steps"/> times, passing gate step i after call i, and sums.</summary>
    Task<int> Run(string counterKey, int steps, string gateKey, string sinkKey);

    /// <summary>Calls <see cref="Add"/> on itself through a grain reference, then reports the result.</summary>
    Task<int> CallSelf(string counterKey, string gateKey, string sinkKey);

    /// <summary>Adds <paramref name="amount"/> to the counter and to the grain's own total.</summary>
    Task<int> Add(string counterKey, int amount);

    /// <summary>Returns the sum of all amounts that <see cref="Add"/> added.</summary>
    Task<int> GetTotal();

    /// <summary>
    /// Adds 1 to the counter <paramref name="steps"/> times, appending each count to a list field that all roots
    /// share, and passes gate step i after call i.
    /// </summary>
    Task AppendCounts(string counterKey, int steps, string gateKey);

    /// <summary>Returns the shared list field that <see cref="AppendCounts"/> fills.</summary>
    Task<List<int>> GetCounts();
}
