using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// A started <see cref="TaskHubWorker"/> with the benchmark's orchestrations and activity, on its own
/// <see cref="AzureStorageOrchestrationService"/>. A client in the same process uses <see cref="Service"/>, so that
/// its messages wake this worker's queue polling.
/// </summary>
internal sealed class DtfxWorker : IAsyncDisposable
{
    private readonly TaskHubWorker _worker;
    private readonly StepLog _log;

    private DtfxWorker(AzureStorageOrchestrationService service, TaskHubWorker worker, StepLog log)
    {
        Service = service;
        _worker = worker;
        _log = log;
    }

    /// <summary>The orchestration service the worker runs on.</summary>
    public AzureStorageOrchestrationService Service { get; }

    /// <summary>
    /// Creates the task hub if needed and starts a worker that records its steps in <paramref name="stepLogPath"/>.
    /// </summary>
    public static async Task<DtfxWorker> StartAsync(AzureStorageOrchestrationServiceSettings settings, string stepLogPath)
    {
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();

        var log = new StepLog(stepLogPath);
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(SequentialSumOrchestration), typeof(FanOutSumOrchestration));
        worker.AddTaskActivities(new IncrementActivity(log));
        await worker.StartAsync();
        return new DtfxWorker(service, worker, log);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(isForced: true);
        _log.Dispose();
    }
}
