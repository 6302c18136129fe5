namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class WaitingGrain : Grain, IWaitingGrain, IImmortalGrain
{
    public async Task<string> SleepTwiceThenReport(TimeSpan delay, string gateKey, string sinkKey)
    {
        await ImmortalTime.Delay(delay);
        await TestGates.PassAsync(gateKey, 1);
        await ImmortalTime.Delay(TimeSpan.FromMinutes(1));
        await TestGates.PassAsync(gateKey, 2);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report("slept");
        return "slept";
    }

    public async Task<string> SleepUntilThenReport(DateTimeOffset dueTime, string gateKey, string sinkKey)
    {
        await ImmortalTime.DelayUntil(dueTime);
        await TestGates.PassAsync(gateKey, 1);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report("woke");
        return "woke";
    }

    public async Task<string> AwaitApproval(string signalId, string gateKey, string sinkKey)
    {
        var decision = await ImmortalSignals.WaitAsync<Decision>(signalId);
        await TestGates.PassAsync(gateKey, 1);
        var text = $"{decision.Approver}:{decision.Approved}";
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(text);
        return text;
    }

    public async Task<string> CallSleeper(string sleeperKey, string gateKey, string sinkKey) =>
        await GrainFactory.GetGrain<IWaitingGrain>(sleeperKey).SleepTwiceThenReport(
            TimeSpan.FromHours(1),
            gateKey,
            sinkKey);

    public async Task<string> ForwardText(string inputId, string targetKey, string outputId)
    {
        var text = await ImmortalSignals.WaitAsync<string>(inputId);
        await ImmortalSignals.SendAsync(GrainFactory.GetGrain<IWaitingGrain>(targetKey), outputId, text);
        return text;
    }

    public async Task<string> AwaitTextWithin(string signalId, TimeSpan timeout) =>
        await ImmortalSignals.WaitAsync<string>(signalId, timeout);

    public async Task<string> AwaitText(string signalId) => await ImmortalSignals.WaitAsync<string>(signalId);

    public Task SleepWithoutAsync(TimeSpan delay) => ImmortalTime.Delay(delay);

    public async Task<int> CallThenPlainDelay(string counterKey)
    {
        var added = GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(1);
        await Task.Delay(TimeSpan.FromMinutes(10));
        return await added;
    }

    public async Task<string> ApprovalOrTimeout(string signalId, TimeSpan timeout, string gateKey, string sinkKey)
    {
        var approval = ImmortalSignals.WaitAsync<Decision>(signalId);
        var deadline = ImmortalTime.Delay(timeout);
        var first = await Task.WhenAny(approval, deadline);
        await TestGates.PassAsync(gateKey, 1);
        var text = first == approval ? (await approval).Approver : "timed out";
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(text);
        return text;
    }

    public async Task<string> ApprovalAfterDelay(string signalId, TimeSpan delay, string gateKey, string sinkKey)
    {
        var approval = ImmortalSignals.WaitAsync<Decision>(signalId);
        await Task.WhenAll(approval, ImmortalTime.Delay(delay));
        await TestGates.PassAsync(gateKey, 1);
        var text = (await approval).Approver;
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(text);
        return text;
    }

    public async Task<string> ApprovalThenDelayOrCancel(
        string signalId,
        TimeSpan delay,
        string gateKey,
        string sinkKey,
        CancellationToken cancellationToken)
    {
        var sink = GrainFactory.GetGrain<IResultSinkGrain>(sinkKey);
        try
        {
            var decision = await ImmortalSignals.WaitAsync<Decision>(signalId, cancellationToken);
            await TestGates.PassAsync(gateKey, 1);
            await ImmortalTime.Delay(delay, cancellationToken);
            await TestGates.PassAsync(gateKey, 2);
            await sink.Report(decision.Approver);
            return decision.Approver;
        }
        catch (OperationCanceledException canceled) when (canceled.CancellationToken == cancellationToken)
        {
            await sink.Report("canceled");
            throw;
        }
    }

    public async Task DelayWithOwnToken(TimeSpan delay)
    {
        using var source = new CancellationTokenSource();
        await ImmortalTime.Delay(delay, source.Token);
    }

    public async Task<string> DescribeCanceledWait(string signalId, CancellationToken cancellationToken)
    {
        var wait = ImmortalSignals.WaitAsync<string>(signalId, cancellationToken);
        try
        {
            return "received " + await wait;
        }
        catch (OperationCanceledException first)
        {
            var again = ImmortalTime.Delay(TimeSpan.FromHours(1), cancellationToken);
            var secondMatches = false;
            try
            {
                await again;
            }
            catch (OperationCanceledException second)
            {
                secondMatches = second.CancellationToken == cancellationToken;
            }

            return $"first token {first.CancellationToken == cancellationToken}, first canceled {wait.IsCanceled}, "
                + $"second token {secondMatches}, second canceled {again.IsCanceled}";
        }
    }

    public async Task PlainWhenAll(int milliseconds) =>
        await Task.WhenAll(Task.Delay(milliseconds), Task.Delay(milliseconds));
}
