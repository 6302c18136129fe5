using System.Diagnostics;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>A child process of the benchmark program in the <see cref="DtfxWorkerRole"/> role.</summary>
internal sealed class DtfxWorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;

    private DtfxWorkerProcess(Process process, long readyTimestamp)
    {
        _process = process;
        ReadyTimestamp = readyTimestamp;
    }

    /// <summary>Stopwatch timestamp at which the worker reported that it had started.</summary>
    public long ReadyTimestamp { get; }

    /// <summary>Starts a worker process and waits until its worker has started.</summary>
    public static async Task<DtfxWorkerProcess> StartAsync(
        string connectionString,
        string taskHub,
        DtfxProfile profile,
        string workerId,
        string stepLogPath)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException(
            "The path of the benchmark executable is unknown, so no worker process can be started."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under 'dotnet Immortals.Orleans.Benchmarks.dll' the process path is the dotnet host.
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(DtfxWorkerProcess).Assembly.Location);
        }

        string[] arguments = [DtfxWorkerRole.RoleName, connectionString, taskHub, profile.Name, workerId, stepLogPath];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Failed to start the worker process {startInfo.FileName}.");
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == DtfxWorkerRole.ReadyLine)
                {
                    var ready = Stopwatch.GetTimestamp();

                    // Drain the rest of the output, so that the worker cannot block on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new DtfxWorkerProcess(process, ready);
                }
            }

            throw new InvalidOperationException(
                $"The worker process exited with code {(process.HasExited ? process.ExitCode : -1)} before it started.");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the worker with SIGKILL, as a crash would, and waits for it to exit.</summary>
    public Task KillAsync() => ChildProcess.KillAsync(_process);

    /// <summary>Stops the worker by closing its standard input, or kills it if it has not exited in 30 s.</summary>
    public ValueTask DisposeAsync() => ChildProcess.StopAsync(_process);
}
