namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An ordinary grain between immortal grains.</summary>
public interface IRelayGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter twice with equal arguments and returns the last count.</summary>
    Task<int> AddTwice(string counterKey);

    /// <summary>Returns the <c>RequestContext</c> value under <paramref name="key"/> as this grain sees it.</summary>
    Task<string?> ReadContext(string key);

    /// <summary>Calls another relay's <see cref="ReadContext"/>.</summary>
    Task<string?> ReadContextThrough(string otherKey, string key);

    Task<int> Increment();

    Task Fail(string message);
}
