namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>Reads <c>RequestContext</c> inside a grain method. An immortal grain and a rejected grain implement it.</summary>
public interface IContextProbeGrain : IGrainWithStringKey
{
    /// <summary>Returns the <c>RequestContext</c> value under <paramref name="key"/> as the grain method reads it.</summary>
    Task<string?> ReadContext(string key);
}
