using Immortals.Orleans.IntegrationTests.Grains;

namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>Unique grains and gate for one parked workflow.</summary>
internal sealed class ParkedRun(IClusterClient client)
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public string GateKey => "gate-" + Id;

    public string SinkKey => "sink-" + Id;

    public IParkedWorkflowGrain Workflow => client.GetGrain<IParkedWorkflowGrain>("parked-" + Id);

    public IResultSinkGrain Sink => client.GetGrain<IResultSinkGrain>(SinkKey);

    /// <summary>Waits until the workflow reported, and returns its single report.</summary>
    public async Task<string> WaitForReportAsync(TimeSpan? timeout = null)
    {
        var reports = await Eventually.GetAsync(Sink.GetReports, reports => reports.Count > 0, timeout);
        Assert.Single(reports);
        return reports[0];
    }
}
