namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain whose only open call, while it waits, goes to an ordinary grain.</summary>
public interface IParkedWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Passes gate step 1 of the park grain, then reports "resumed" to the sink.</summary>
    Task Park(string gateKey, string sinkKey);
}
