namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class ResultSinkGrain : Grain, IResultSinkGrain, IImmortalGrain
{
    private List<string> _reports = [];

    public Task Report(string value)
    {
        _reports.Add(value);
        return Task.CompletedTask;
    }

    public Task<List<string>> GetReports() => Task.FromResult(_reports.ToList());
}
