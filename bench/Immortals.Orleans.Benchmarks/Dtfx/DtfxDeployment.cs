using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// A worker and a client on one new task hub: the client either in the worker's process, sharing its
/// orchestration service, or in the benchmark process with the worker in a child process.
/// </summary>
internal sealed class DtfxDeployment : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _clientService;
    private readonly IAsyncDisposable _worker;

    private DtfxDeployment(AzureStorageOrchestrationService clientService, IAsyncDisposable worker, string stepLogPath)
    {
        _clientService = clientService;
        _worker = worker;
        Client = new TaskHubClient(clientService);
        StepLogPath = stepLogPath;
    }

    /// <summary>The client that starts orchestrations.</summary>
    public TaskHubClient Client { get; }

    /// <summary>The step log of the worker.</summary>
    public string StepLogPath { get; }

    /// <summary>Starts a worker on a new task hub and a client for it.</summary>
    /// <param name="connectionString">Connection string with explicit 127.0.0.1 endpoints.</param>
    /// <param name="profile">Settings of the worker and the client.</param>
    /// <param name="separateProcess">Whether the worker runs in a child process.</param>
    /// <param name="folder">Folder for the step log.</param>
    public static async Task<DtfxDeployment> StartAsync(
        string connectionString,
        DtfxProfile profile,
        bool separateProcess,
        string folder)
    {
        var taskHub = NewTaskHubName(profile);
        var stepLogPath = Path.Combine(folder, $"{taskHub}-steps.log");
        var workerId = $"worker-{Guid.NewGuid():N}";
        if (!separateProcess)
        {
            var settings = profile.CreateSettings(connectionString, taskHub, workerId);
            var worker = await DtfxWorker.StartAsync(settings, stepLogPath);
            return new DtfxDeployment(worker.Service, worker, stepLogPath);
        }

        var process = await DtfxWorkerProcess.StartAsync(connectionString, taskHub, profile, workerId, stepLogPath);
        var clientService = new AzureStorageOrchestrationService(
            profile.CreateSettings(connectionString, taskHub, $"client-{Guid.NewGuid():N}"));
        return new DtfxDeployment(clientService, process, stepLogPath);
    }

    /// <summary>
    /// Returns a task hub name that no earlier run used: letters and digits only, starting with a letter, as
    /// Azure queue, table and container names require.
    /// </summary>
    public static string NewTaskHubName(DtfxProfile profile) => $"bench{profile.Name[0]}{Guid.NewGuid():N}"[..24];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _clientService.DeleteAsync();
    }
}
