namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain whose methods call immortal counters and report to a result sink.</summary>
public interface IWorkflowGrain : IGrainWithStringKey
{
    /// <summary>Adds 1 to the counter <paramref name="steps"/> times, passing gate step i after call i, and sums.</summary>
    Task<int> Run(string counterKey, int steps, string gateKey, string sinkKey);

    /// <summary>Starts a call to counter A, makes two calls to counter B, then awaits the first call.</summary>
    Task<int> RunWithTaskLocal(string counterA, string counterB, string gateKey, string sinkKey);

    /// <summary>Calls a counter method that throws after a gate, catches it and reports how often it caught.</summary>
    Task<int> CatchFailure(string counterKey, string gateKey, string sinkKey);

    /// <summary>Starts two gated calls and awaits both, one after the other.</summary>
    Task<int> AwaitTwo(string counterA, string counterB, string gateKey, string sinkKey);

    /// <summary>Calls a counter method that runs longer than the response timeout.</summary>
    Task<int> CallSlow(string counterKey, int naps, int napMilliseconds);

    /// <summary>
    /// Holds the grain's list in a local across a call and a gate, adds to it through the local, and reports the
    /// field's count.
    /// </summary>
    Task<int> AppendThroughLocal(string counterKey, string gateKey, string sinkKey);

    /// <summary>Keeps a local of a type Orleans cannot serialize across a call.</summary>
    Task<int> HoldUnserializable(string counterKey);

    /// <summary>Returns how often <see cref="CatchFailure"/> caught; changes nothing.</summary>
    Task<int> GetCaught();

    /// <summary>Calls an ordinary relay grain that calls the counter twice.</summary>
    Task<int> CallThroughOrdinary(string relayKey, string counterKey);

    /// <summary>Calls the middle grain of a chain <paramref name="steps"/> times and sums the counts it returns.</summary>
    Task<int> RunChain(string middleKey, string counterKey, int steps, string gateKey, string sinkKey);

    /// <summary>
    /// Adds 1 to the counter <paramref name="steps"/> times, keeping each count in a list field and a dictionary field
    /// between the call and the gate, and reports both fields.
    /// </summary>
    Task<string> RecordCounts(string counterKey, int steps, string gateKey, string sinkKey);

    /// <summary>Calls two counter methods that throw before any await, catches both, then adds 1 and reports.</summary>
    Task<string> CatchEarlyFailures(string counterKey, string gateKey, string sinkKey);

    /// <summary>Fetches a large payload, keeps it in a local across a gate and reports its length and checksum.</summary>
    Task<string> FetchLarge(string payloadKey, int size, string gateKey, string sinkKey);

    /// <summary>Sends a large payload to a callee that sums it after a gate, and reports the sum.</summary>
    Task<long> SendLarge(string payloadKey, int size, string sinkKey, string gateKey);
}
