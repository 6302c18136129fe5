namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class JournalGrain : Grain, IJournalGrain, IImmortalGrain
{
    private readonly List<string> _entries = [];

    public Task<int> Append(string entry)
    {
        _entries.Add(entry);
        return Task.FromResult(_entries.Count);
    }

    public Task<List<string>> GetEntries() => Task.FromResult(_entries.ToList());
}
