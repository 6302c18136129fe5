using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiloHost.Hosting;

namespace SiloHost.Diagnostics;

/// <summary>
/// Writes the silo's <see cref="SiloReport"/> to a JSON file every 200 milliseconds, for the demo that started the
/// silo process. Each write replaces the file atomically.
/// </summary>
internal sealed partial class SiloReportWriter(
    IOptions<SampleSettings> settings,
    ILocalSiloDetails silo,
    IHostApplicationLifetime lifetime,
    OrderBoard board,
    PluginMeterListener meters,
    ILogger<SiloReportWriter> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = settings.Value.StatusDirectory;
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var path = SiloReport.FilePath(directory, settings.Value.SiloPort);
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await WriteAsync(path, stoppingToken);
            }
            catch (IOException exception)
            {
                LogWriteFailed(logger, exception, path);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var status = new SiloReport
        {
            ProcessId = Environment.ProcessId,
            SiloPort = settings.Value.SiloPort,
            SiloAddress = silo.SiloAddress.ToString(),
            Started = lifetime.ApplicationStarted.IsCancellationRequested,
            Metrics = meters.Snapshot(),
            Orders = board.SnapshotStages(),
            AtCarrier = board.SnapshotAtCarrier(),
        };
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(status), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed to write the silo status file {Path}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path);
}
