using System.Diagnostics;
using System.Text.Json;
using SiloHost.Diagnostics;

namespace SiloHost.Demo;

/// <summary>A silo running in a child process of the sample executable, with its output in a log file.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly string _statusDirectory;

    private SiloProcess(
        Process process,
        StreamWriter log,
        string logPath,
        string statusDirectory,
        int siloPort,
        int gatewayPort)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        _statusDirectory = statusDirectory;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>Process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>File that receives the silo's standard output and error.</summary>
    public string LogPath { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts a silo process. The silo writes its status to <paramref name="statusDirectory"/>, which the process
    /// receives as <c>--status-directory</c>.
    /// </summary>
    /// <param name="command">The sample executable.</param>
    /// <param name="siloPort">Silo-to-silo port, passed as <c>--silo-port</c>.</param>
    /// <param name="gatewayPort">Gateway port, passed as <c>--gateway-port</c>.</param>
    /// <param name="arguments">Further silo options.</param>
    /// <param name="environment">Environment variables of the process, for example a connection string.</param>
    /// <param name="statusDirectory">Directory of the status files.</param>
    /// <param name="logPath">File for the process output; appended to.</param>
    public static SiloProcess Start(
        SiloCommand command,
        int siloPort,
        int gatewayPort,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string statusDirectory,
        string logPath)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.LeadingArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add("silo");
        string[] own =
        [
            "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(),
            "--status-directory", statusDirectory, "--parent-pid", Environment.ProcessId.ToString(),
        ];
        foreach (var argument in own.Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        // A new process on the same ports must not read the status file of the process it replaces.
        Directory.CreateDirectory(statusDirectory);
        File.Delete(SiloReport.FilePath(statusDirectory, siloPort));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        if (!process.Start())
        {
            log.Dispose();
            throw new InvalidOperationException($"Failed to start {command.FileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, log, logPath, statusDirectory, siloPort, gatewayPort);
    }

    /// <summary>Returns the status this process wrote last, or null when it has written none.</summary>
    public SiloReport? ReadReport()
    {
        try
        {
            var bytes = File.ReadAllBytes(SiloReport.FilePath(_statusDirectory, SiloPort));
            var status = JsonSerializer.Deserialize<SiloReport>(bytes);
            return status?.ProcessId == ProcessId ? status : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until the silo reports that it has started, and returns its status.</summary>
    /// <exception cref="InvalidOperationException">The process exited first.</exception>
    /// <exception cref="TimeoutException">The silo did not start within <paramref name="timeout"/>.</exception>
    public async Task<SiloReport> WaitStartedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (ReadReport() is { Started: true } status)
            {
                return status;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Silo process {ProcessId} (port {SiloPort}) exited with code {_process.ExitCode} before it "
                    + $"started; see {LogPath}.");
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Silo process {ProcessId} (port {SiloPort}) did not start within {timeout}; see {LogPath}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Kills the process with SIGKILL, so that it runs no shutdown code, and waits for it to exit.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after the silo was disposed is dropped.
            }
        }
    }
}
