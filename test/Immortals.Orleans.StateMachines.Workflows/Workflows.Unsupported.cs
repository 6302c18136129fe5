namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Scenarios that the engine must reject with a clear capture error.</summary>
public sealed partial class Workflows
{
    /// <summary>Keeps a stream, which has no Orleans codec, across an await.</summary>
    public async Task<long> UnserializableAsync()
    {
        var stream = new MemoryStream([1, 2, 3]);
        var raised = await Calls.Call<int>("inc", 1);
        return raised + stream.Length;
    }

    /// <summary>Passes a stream and the result of a call to one method, so the compiler spills the stream.</summary>
    public async Task<long> UnserializableSpillAsync() =>
        Measure(new MemoryStream([1, 2, 3]), await Calls.Call<int>("inc", 1));

    /// <summary>Suspends on Task.Yield after a call.</summary>
    public async Task<int> YieldAsync()
    {
        var before = await Calls.Call<int>("inc", 1);
        await Task.Yield();
        return before;
    }

    /// <summary>Suspends on a Task.Delay task after a call.</summary>
    public async Task<int> DelayAsync()
    {
        var before = await Calls.Call<int>("inc", 1);
        await Task.Delay(TimeSpan.FromMinutes(10), DelayCancellation.Token);
        return before;
    }

    /// <summary>Suspends on a custom awaiter after a call.</summary>
    public async Task<int> CustomAwaiterAsync()
    {
        var before = await Calls.Call<int>("inc", 1);
        await new NeverAwaitable();
        return before;
    }

    /// <summary>Awaits Task.WhenAll over a call and a Task.Delay task after a first call.</summary>
    public async Task<int> WhenAllDelayAsync()
    {
        var before = await Calls.Call<int>("inc", 1);
        await Task.WhenAll(Calls.Send("note", before), Task.Delay(TimeSpan.FromMinutes(10), DelayCancellation.Token));
        return before;
    }

    /// <summary>Enumerates an async iterator whose items come from calls.</summary>
    public async Task<int> AwaitForeachAsync()
    {
        var total = 0;
        await foreach (var item in ItemsAsync(3))
        {
            total += item;
        }

        return total;
    }

    /// <summary>Cancels the delays that <see cref="DelayAsync"/> leaves behind.</summary>
    public static CancellationTokenSource DelayCancellation { get; } = new();

    private static long Measure(MemoryStream stream, int extra) => stream.Length + extra;

    private async IAsyncEnumerable<int> ItemsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return await Calls.Call<int>("inc", i);
        }
    }
}
