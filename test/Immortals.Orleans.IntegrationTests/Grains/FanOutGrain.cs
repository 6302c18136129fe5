using System.Globalization;

namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class FanOutGrain : Grain, IFanOutGrain, IImmortalGrain
{
    private readonly Dictionary<int, int> _twiceResults = [];

    public Task Ping() => Task.CompletedTask;

    public async Task<int> FanOut(string runKey, string[] workers, int count, bool readTasks, string sinkKey)
    {
        var tasks = new List<Task<int>>(count);
        for (var i = 0; i < count; i++)
        {
            tasks.Add(GrainFactory.GetGrain<IFanWorkerGrain>(workers[i % workers.Length]).Work(runKey, i));
        }

        var sum = 0;
        if (readTasks)
        {
            // Task.WhenAll over Task[] keeps no list of its inputs, unlike Task.WhenAll<T> below.
            Task[] all = [.. tasks];
            await Task.WhenAll(all);
            for (var i = 0; i < tasks.Count; i++)
            {
                sum += tasks[i].Result;
            }
        }
        else
        {
            var results = await Task.WhenAll(tasks);
            sum = results.Sum();
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString(CultureInfo.InvariantCulture));
        return sum;
    }

    public async Task<string> Race(string runKey, string[] workers, string sinkKey)
    {
        var tasks = new Task<int>[3];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = GrainFactory.GetGrain<IFanWorkerGrain>(workers[i % workers.Length]).Work(runKey, i);
        }

        var winner = await Task.WhenAny(tasks);
        var index = Array.IndexOf(tasks, winner);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(runKey, 100);
        var results = await Task.WhenAll(tasks);
        var report = $"{index}:{ReferenceEquals(winner, tasks[index])}:{results.Sum()}";
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(report);
        return report;
    }

    public async Task NoteOrdinary(string runKey, string sinkKey)
    {
        _ = GrainFactory.GetGrain<INoteGrain>(runKey).Note(runKey, 3);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report("noted");
    }

    public async Task NotifyThenWait(string runKey, string worker, int value, bool gated, string sinkKey)
    {
        var target = GrainFactory.GetGrain<IFanWorkerGrain>(worker);
        _ = gated ? target.NotifyAfterGate(runKey, value) : target.Notify(runKey, value);
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(runKey, 1);
        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report("sent");
    }

    public async Task<int> FanOutMethods(string runKey, string[] workers, int count, string sinkKey)
    {
        // Task.WhenAll over Task[] keeps no list of its inputs, and no local holds them here.
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => (Task)WorkTwiceAsync(runKey, workers[i % workers.Length], i)));
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += _twiceResults[i];
        }

        await GrainFactory.GetGrain<IResultSinkGrain>(sinkKey).Report(sum.ToString(CultureInfo.InvariantCulture));
        return sum;
    }

    public async Task WhenAllWithDelay(string runKey, string worker) =>
        await Task.WhenAll(GrainFactory.GetGrain<IFanWorkerGrain>(worker).Work(runKey, 0), Task.Delay(TimeSpan.FromMinutes(10)));

    private async Task WorkTwiceAsync(string runKey, string workerKey, int index)
    {
        var worker = GrainFactory.GetGrain<IFanWorkerGrain>(workerKey);
        var first = await worker.Work(runKey, 2 * index);
        var second = await worker.Work(runKey, 2 * index + 1);
        _twiceResults[index] = first + second;
    }
}
