using Immortals.Orleans.IntegrationTests.Grains;

namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>Unique grains and gates for one workflow run.</summary>
internal sealed class WorkflowRun(IClusterClient client)
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public string CounterKey => "counter-" + Id;

    public string GateKey => "gate-" + Id;

    public string SinkKey => "sink-" + Id;

    public IWorkflowGrain Workflow => client.GetGrain<IWorkflowGrain>("workflow-" + Id);

    public ICounterGrain Counter => client.GetGrain<ICounterGrain>(CounterKey);

    public IResultSinkGrain Sink => client.GetGrain<IResultSinkGrain>(SinkKey);

    /// <summary>Starts the counting workflow without waiting for it.</summary>
    public Task<int> Start(int steps) => Workflow.Run(CounterKey, steps, GateKey, SinkKey);

    /// <summary>Waits until the workflow reported, and returns its single report.</summary>
    public async Task<string> WaitForReportAsync(TimeSpan? timeout = null)
    {
        var reports = await Eventually.GetAsync(Sink.GetReports, reports => reports.Count > 0, timeout);
        Assert.Single(reports);
        return reports[0];
    }
}
