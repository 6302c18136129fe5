using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>A child process of the benchmark program in the <see cref="SiloRole"/> role.</summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private SiloProcess(Process process, string stepLogPath)
    {
        _process = process;
        StepLogPath = stepLogPath;
        _ = PumpOutputAsync();
    }

    /// <summary>The step log that the silo's grains write.</summary>
    public string StepLogPath { get; }

    /// <summary>Starts a silo process and waits until its silo has started.</summary>
    public static async Task<SiloProcess> StartAsync(SiloDeployment deployment, string name)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException(
            "The path of the benchmark executable is unknown, so no silo process can be started."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under 'dotnet Immortals.Orleans.Benchmarks.dll' the process path is the dotnet host.
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(SiloProcess).Assembly.Location);
        }

        var stepLog = Path.Combine(deployment.Folder, $"{deployment.ClusterId}-{name}-steps.log");
        string[] arguments =
        [
            SiloRole.RoleName,
            deployment.ConnectionString,
            deployment.ClusterId,
            deployment.TableName,
            deployment.Profile.Name,
            stepLog,
            SiloDeployment.FreePort().ToString(CultureInfo.InvariantCulture),
            SiloDeployment.FreePort().ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Failed to start the silo process {startInfo.FileName}.");
        var silo = new SiloProcess(process, stepLog);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await silo.ReadLineAsync(line => line == SiloRole.ReadyLine, timeout.Token);
            return silo;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Asks the silo for its memory and checkpoint totals.</summary>
    public async Task<SiloMemory> ReadMemoryAsync()
    {
        await _process.StandardInput.WriteLineAsync(SiloRole.MemoryCommand);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var line = await ReadLineAsync(line => line.StartsWith(SiloRole.MemoryLinePrefix, StringComparison.Ordinal),
            timeout.Token);
        var parts = line[SiloRole.MemoryLinePrefix.Length..].Split(' ')
            .Select(part => long.Parse(part, CultureInfo.InvariantCulture))
            .ToArray();
        return new SiloMemory(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /// <summary>Asks the silo for its wake-up registry totals.</summary>
    public async Task<RegistryTotals> ReadRegistryAsync()
    {
        await _process.StandardInput.WriteLineAsync(SiloRole.RegistryCommand);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var line = await ReadLineAsync(line => line.StartsWith(RegistryMeter.LinePrefix, StringComparison.Ordinal),
            timeout.Token);
        return RegistryMeter.Parse(line);
    }

    /// <summary>Kills the silo with SIGKILL, as a crash would, and waits for it to exit.</summary>
    public Task KillAsync() => ChildProcess.KillAsync(_process);

    /// <summary>Stops the silo by closing its standard input, or kills it if it has not exited in 30 s.</summary>
    public ValueTask DisposeAsync() => ChildProcess.StopAsync(_process);

    private async Task<string> ReadLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        while (await _lines.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }

        throw new InvalidOperationException(
            $"The silo process exited with code {(_process.HasExited ? _process.ExitCode : -1)}.");
    }

    // Reads every line, so that the silo can never block on a full pipe.
    private async Task PumpOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }
}
