namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain that keeps entries in order: the committed effects that saga tests count.</summary>
public interface IJournalGrain : IGrainWithStringKey
{
    /// <summary>Appends an entry and returns the number of entries.</summary>
    Task<int> Append(string entry);

    Task<List<string>> GetEntries();
}
