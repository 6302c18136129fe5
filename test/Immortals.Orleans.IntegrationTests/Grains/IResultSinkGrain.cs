namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain where workflows report their result, so tests observe them without calling them.</summary>
public interface IResultSinkGrain : IGrainWithStringKey
{
    Task Report(string value);

    Task<List<string>> GetReports();
}
