namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal caller that fans calls out to workers and joins them with Task.WhenAll or Task.WhenAny.</summary>
public interface IFanOutGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain; does nothing else.</summary>
    Task Ping();

    /// <summary>
    /// Calls <see cref="IFanWorkerGrain.Work"/> <paramref name="count"/> times in one turn, spread over
    /// <paramref name="workers"/>, awaits them all and reports the sum of the results to the sink. Reads the
    /// results from the array Task.WhenAll returns, or, when <paramref name="readTasks"/> is set, awaits
    /// Task.WhenAll over a <c>Task[]</c> and reads the results from the tasks in the list.
    /// </summary>
    Task<int> FanOut(string runKey, string[] workers, int count, bool readTasks, string sinkKey);

    /// <summary>
    /// Calls <see cref="IFanWorkerGrain.Work"/> with indices 0, 1 and 2 on three workers, awaits Task.WhenAny,
    /// passes gate 100 of <paramref name="runKey"/>, awaits all three and reports
    /// "winner index:winner is still that element:sum".
    /// </summary>
    Task<string> Race(string runKey, string[] workers, string sinkKey);

    /// <summary>
    /// Sends a one-way <see cref="IFanWorkerGrain.Notify"/> (or <see cref="IFanWorkerGrain.NotifyAfterGate"/> when
    /// <paramref name="gated"/> is set) to a worker, passes gate 1 of <paramref name="runKey"/> and reports "sent".
    /// </summary>
    Task NotifyThenWait(string runKey, string worker, int value, bool gated, string sinkKey);

    /// <summary>Sends a one-way <see cref="INoteGrain.Note"/> with index 3 to an ordinary grain and reports "noted".</summary>
    Task NoteOrdinary(string runKey, string sinkKey);

    /// <summary>
    /// Starts <paramref name="count"/> async methods that each call <see cref="IFanWorkerGrain.Work"/> twice in a
    /// row, awaits Task.WhenAll over them with no local that holds their tasks, and reports the sum of the results.
    /// </summary>
    Task<int> FanOutMethods(string runKey, string[] workers, int count, string sinkKey);

    /// <summary>Awaits Task.WhenAll over a call and a ten-minute Task.Delay, which cannot be checkpointed.</summary>
    Task WhenAllWithDelay(string runKey, string worker);
}
