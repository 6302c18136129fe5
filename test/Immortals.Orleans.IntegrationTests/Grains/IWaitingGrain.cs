using Orleans.Concurrency;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain whose methods wait with durable delays, signals or a plain Task.Delay.</summary>
public interface IWaitingGrain : IGrainWithStringKey
{
    /// <summary>
    /// Waits durably for <paramref name="delay"/> and passes gate step 1, then waits for one more minute, passes gate
    /// step 2 and reports "slept" to the sink.
    /// </summary>
    Task<string> SleepTwiceThenReport(TimeSpan delay, string gateKey, string sinkKey);

    /// <summary>Waits durably until <paramref name="dueTime"/>, passes gate step 1 and reports "woke".</summary>
    Task<string> SleepUntilThenReport(DateTimeOffset dueTime, string gateKey, string sinkKey);

    /// <summary>
    /// Waits for the decision signal <paramref name="signalId"/>, passes gate step 1 and reports
    /// <c>approver:approved</c> to the sink.
    /// </summary>
    Task<string> AwaitApproval(string signalId, string gateKey, string sinkKey);

    /// <summary>
    /// Calls <see cref="SleepTwiceThenReport"/> on the immortal grain <paramref name="sleeperKey"/> with a one-hour
    /// delay and returns its result.
    /// </summary>
    Task<string> CallSleeper(string sleeperKey, string gateKey, string sinkKey);

    /// <summary>
    /// Waits for the text signal <paramref name="inputId"/> and sends its value to the grain
    /// <paramref name="targetKey"/> as signal <paramref name="outputId"/>.
    /// </summary>
    Task<string> ForwardText(string inputId, string targetKey, string outputId);

    /// <summary>Waits for the text signal <paramref name="signalId"/> for at most <paramref name="timeout"/>.</summary>
    Task<string> AwaitTextWithin(string signalId, TimeSpan timeout);

    /// <summary>Waits for the signal <paramref name="signalId"/> as text.</summary>
    Task<string> AwaitText(string signalId);

    /// <summary>Returns the task of a durable delay without an async frame of its own.</summary>
    Task SleepWithoutAsync(TimeSpan delay);

    /// <summary>Starts a call to a counter, then awaits a plain Task.Delay before the call's result.</summary>
    Task<int> CallThenPlainDelay(string counterKey);

    /// <summary>
    /// Waits for whichever comes first, the decision signal <paramref name="signalId"/> or a durable delay of
    /// <paramref name="timeout"/>, passes gate step 1 and reports the approver's name or "timed out".
    /// </summary>
    Task<string> ApprovalOrTimeout(string signalId, TimeSpan timeout, string gateKey, string sinkKey);

    /// <summary>
    /// Waits for both the decision signal <paramref name="signalId"/> and a durable delay of
    /// <paramref name="delay"/>, passes gate step 1 and reports the approver's name.
    /// </summary>
    Task<string> ApprovalAfterDelay(string signalId, TimeSpan delay, string gateKey, string sinkKey);

    /// <summary>
    /// Waits with the method's <paramref name="cancellationToken"/> for the decision signal
    /// <paramref name="signalId"/> and then for a durable delay of <paramref name="delay"/>; reports the approver, or
    /// "canceled" to the sink when the request is canceled first, and then rethrows.
    /// </summary>
    Task<string> ApprovalThenDelayOrCancel(
        string signalId,
        TimeSpan delay,
        string gateKey,
        string sinkKey,
        CancellationToken cancellationToken);

    /// <summary>Waits for a durable delay with a token of its own, which the wait APIs reject.</summary>
    Task DelayWithOwnToken(TimeSpan delay);

    /// <summary>
    /// Waits with the method's token for the text signal <paramref name="signalId"/>. When canceled, starts a durable
    /// delay with the already canceled token and returns how both waits ended: whether each exception carries the
    /// method's token and whether the first wait's task is canceled.
    /// </summary>
    Task<string> DescribeCanceledWait(string signalId, CancellationToken cancellationToken);

    /// <summary>
    /// Awaits Task.WhenAll over two plain Task.Delay calls, which a checkpoint cannot store, interleaved with the
    /// grain's other methods.
    /// </summary>
    [AlwaysInterleave]
    Task PlainWhenAll(int milliseconds);
}
