namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class WorkflowGrain : Grain, IWorkflowGrain, IImmortalGrain
{
    private readonly List<int> _items = [];
    private readonly List<int> _counts = [];
    private readonly Dictionary<int, int> _countByStep = [];
    private int _caught;

    public async Task<int> Run(string counterKey, int steps, string gateKey, string sinkKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        var sum = 0;
        for (var step = 1; step <= steps; step++)
        {
            sum += await counter.Add(1);
            await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString());
        return sum;
    }

    public async Task<int> RunWithTaskLocal(string counterA, string counterB, string gateKey, string sinkKey)
    {
        var first = GrainFactory.GetGrain<ICounterGrain>(counterA).Add(1);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        var second = await GrainFactory.GetGrain<ICounterGrain>(counterB).Add(10);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 2);
        var third = await GrainFactory.GetGrain<ICounterGrain>(counterB).Add(100);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 3);
        var total = await first + second + third;
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(total.ToString());
        return total;
    }

    public async Task<int> CatchFailure(string counterKey, string gateKey, string sinkKey)
    {
        var message = "";
        try
        {
            await GrainFactory.GetGrain<ICounterGrain>(counterKey).FailAfterGate(gateKey, 1, "expected failure");
        }
        catch (InvalidOperationException exception)
        {
            _caught++;
            message = exception.Message;
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report($"{_caught}:{message}");
        return _caught;
    }

    public async Task<int> AwaitTwo(string counterA, string counterB, string gateKey, string sinkKey)
    {
        var first = GrainFactory.GetGrain<ICounterGrain>(counterA).AddAfterGate(gateKey, 1, 1);
        var second = GrainFactory.GetGrain<ICounterGrain>(counterB).AddAfterGate(gateKey, 2, 10);
        var a = await first;
        var b = await second;
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report((a + b).ToString());
        return a + b;
    }

    public async Task<int> AppendThroughLocal(string counterKey, string gateKey, string sinkKey)
    {
        var items = _items;
        var count = await GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(1);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        items.Add(count);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(_items.Count.ToString());
        return _items.Count;
    }

    public async Task<int> HoldUnserializable(string counterKey)
    {
        var holder = new UnserializableHolder { Value = 7 };
        var count = await GrainFactory.GetGrain<ICounterGrain>(counterKey).Add(1);
        return holder.Value + count;
    }

    public Task<int> GetCaught() => Task.FromResult(_caught);

    public Task<int> CallSlow(string counterKey, int naps, int napMilliseconds) =>
        GrainFactory.GetGrain<ICounterGrain>(counterKey).AddSlowly(1, naps, napMilliseconds);

    public Task<int> CallThroughOrdinary(string relayKey, string counterKey) =>
        GrainFactory.GetGrain<IRelayGrain>(relayKey).AddTwice(counterKey);

    public async Task<int> RunChain(string middleKey, string counterKey, int steps, string gateKey, string sinkKey)
    {
        var middle = GrainFactory.GetGrain<IChainGrain>(middleKey);
        var sum = 0;
        for (var step = 1; step <= steps; step++)
        {
            sum += await middle.Forward(counterKey, gateKey, step);
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString());
        return sum;
    }

    public async Task<string> RecordCounts(string counterKey, int steps, string gateKey, string sinkKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        for (var step = 1; step <= steps; step++)
        {
            var count = await counter.Add(1);
            _counts.Add(count);
            _countByStep[step] = count;
            await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, step);
            _countByStep.Remove(step - 1);
        }

        var report = string.Join(",", _counts) + "|" + string.Join(",", _countByStep.Select(pair => $"{pair.Key}={pair.Value}"));
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(report);
        return report;
    }

    public async Task<string> CatchEarlyFailures(string counterKey, string gateKey, string sinkKey)
    {
        var counter = GrainFactory.GetGrain<ICounterGrain>(counterKey);
        var messages = new List<string>();
        try
        {
            await counter.AddUnlessFailing(true, gateKey, 100);
        }
        catch (InvalidOperationException exception)
        {
            messages.Add(exception.Message);
        }

        try
        {
            await counter.ThrowAtOnce("thrown at once");
        }
        catch (InvalidOperationException exception)
        {
            messages.Add(exception.Message);
        }

        var count = await counter.AddUnlessFailing(false, gateKey, 1);
        var report = $"{count}:{string.Join("/", messages)}";
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(report);
        return report;
    }

    public async Task<string> FetchLarge(string payloadKey, int size, string gateKey, string sinkKey)
    {
        var payload = await GrainFactory.GetGrain<IPayloadGrain>(payloadKey).Make(size, 7);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        var sum = 0L;
        foreach (var value in payload)
        {
            sum += value;
        }

        var report = $"{payload.Length}:{sum}";
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(report);
        return report;
    }

    public async Task<long> SendLarge(string payloadKey, int size, string sinkKey, string gateKey)
    {
        var sum = await GrainFactory.GetGrain<IPayloadGrain>(payloadKey).SumAfterGate(PayloadGrain.Fill(size, 3), gateKey);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString());
        return sum;
    }
}
