using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiloHost.Hosting;

namespace SiloHost.Diagnostics;

/// <summary>
/// Stops the silo when the process that started it has exited, so that a demo killed from outside leaves no silo
/// behind.
/// </summary>
internal sealed partial class ParentProcessWatcher(
    IOptions<SampleSettings> settings,
    IHostApplicationLifetime lifetime,
    ILogger<ParentProcessWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parentId = settings.Value.ParentProcessId;
        if (parentId is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (IsRunning(parentId.Value))
            {
                continue;
            }

            LogParentExited(logger, parentId.Value);
            lifetime.StopApplication();
            return;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parent process {ProcessId} has exited; stopping the silo")]
    private static partial void LogParentExited(ILogger logger, int processId);
}
