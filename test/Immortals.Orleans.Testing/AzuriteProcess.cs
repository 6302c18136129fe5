using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Immortals.Orleans.Testing;

/// <summary>
/// An Azurite process bound to 127.0.0.1 on free ports, started from the repository's own npm install.
/// </summary>
/// <remarks>
/// Azurite is started as <c>node azurite.js</c> directly, not through the npm wrapper, because after SIGTERM the
/// node process of Azurite 3.37.0 keeps running. Disposing kills the node process, and the node process ends by
/// itself within a second when the process that started it is gone.
/// </remarks>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known key of Azurite's development account <c>devstoreaccount1</c>.</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string AccountName = "devstoreaccount1";
    private const string ParentProcessVariable = "IMMORTALS_AZURITE_PARENT_PID";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // Script that Azurite's node process loads before Azurite. It ends the process once the process that
    // started it is gone, because a test host that is killed, or that exits without running its exit handlers,
    // never disposes its Azurite.
    private const string ParentWatchScript = """
        const parent = Number(process.env.IMMORTALS_AZURITE_PARENT_PID);
        if (parent > 0) {
          setInterval(() => {
            try { process.kill(parent, 0); } catch (error) { if (error.code === 'ESRCH') process.exit(0); }
          }, 1000).unref();
        }
        """;

    private readonly Process _process;
    private readonly string _workingDirectory;
    private readonly bool _deleteWorkingDirectory;
    private int _disposed;

    private AzuriteProcess(
        Process process,
        int blobPort,
        int queuePort,
        int tablePort,
        string workingDirectory,
        bool deleteWorkingDirectory)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _workingDirectory = workingDirectory;
        _deleteWorkingDirectory = deleteWorkingDirectory;
    }

    /// <summary>Port of the blob endpoint.</summary>
    public int BlobPort { get; }

    /// <summary>Port of the queue endpoint.</summary>
    public int QueuePort { get; }

    /// <summary>Port of the table endpoint.</summary>
    public int TablePort { get; }

    /// <summary>True until the process has exited.</summary>
    public bool IsRunning => _disposed == 0 && !_process.HasExited;

    /// <summary>Connection string with explicit 127.0.0.1 endpoints for blob, queue and table.</summary>
    public string ConnectionString => BuildConnectionString(BlobPort, QueuePort, TablePort);

    /// <summary>
    /// Starts Azurite and waits until its blob and table endpoints answer.
    /// </summary>
    /// <param name="location">
    /// Folder for Azurite's data. Null keeps everything in memory, so the data dies with the process.
    /// A folder keeps the data across a stop and a restart on the same ports.
    /// </param>
    /// <param name="ports">Ports to reuse (blob, queue, table), for a restart; null picks free ports.</param>
    /// <param name="cancellationToken">Cancels the wait for the endpoints.</param>
    public static async Task<AzuriteProcess> StartAsync(
        string? location = null,
        (int Blob, int Queue, int Table)? ports = null,
        CancellationToken cancellationToken = default)
    {
        var script = FindAzuriteScript();
        var (blobPort, queuePort, tablePort) = ports ?? FreePorts();

        // The working directory is named after the test run, so the test command can kill any Azurite that a
        // crashed test host left behind.
        var runId = Environment.GetEnvironmentVariable("IMMORTALS_TEST_RUN_ID") ?? "local";
        var workingDirectory = location ?? Path.Combine(
            Path.GetTempPath(),
            $"immortals-azurite-{runId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workingDirectory);

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment[ParentProcessVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        startInfo.ArgumentList.Add("--require");
        startInfo.ArgumentList.Add(WriteParentWatch());
        startInfo.ArgumentList.Add(script);
        AddArgument(startInfo, "--blobHost", "127.0.0.1");
        AddArgument(startInfo, "--blobPort", blobPort.ToString());
        AddArgument(startInfo, "--queueHost", "127.0.0.1");
        AddArgument(startInfo, "--queuePort", queuePort.ToString());
        AddArgument(startInfo, "--tableHost", "127.0.0.1");
        AddArgument(startInfo, "--tablePort", tablePort.ToString());
        startInfo.ArgumentList.Add("--skipApiVersionCheck");
        startInfo.ArgumentList.Add("--silent");
        startInfo.ArgumentList.Add("--disableTelemetry");
        if (location is null)
        {
            startInfo.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            AddArgument(startInfo, "--location", location);
        }

        var output = new OutputTail();
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Failed to start Azurite with node {script}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(
            process,
            blobPort,
            queuePort,
            tablePort,
            workingDirectory,
            deleteWorkingDirectory: location is null);
        try
        {
            await azurite.WaitUntilReadyAsync(output, cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    /// <summary>Kills the node process and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
            if (_deleteWorkingDirectory)
            {
                TryDeleteDirectory(_workingDirectory);
            }
        }
    }

    /// <summary>Builds an Azurite connection string for the given ports on 127.0.0.1.</summary>
    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>Finds the repository root: the nearest folder above the test binaries with a package.json.</summary>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "package.json"))
                && File.Exists(Path.Combine(directory.FullName, "Immortals.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No repository root (a folder with Immortals.Orleans.sln and package.json) above {AppContext.BaseDirectory}.");
    }

    private static string FindAzuriteScript()
    {
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: {script} is missing. Run 'npm ci' in {root}, or run the tests with ./test.sh.");
        }

        return script;
    }

    private async Task WaitUntilReadyAsync(OutputTail output, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);

        var blobs = new BlobServiceClient(ConnectionString);
        var tables = new TableServiceClient(ConnectionString);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {_process.ExitCode} before it answered. Output:{Environment.NewLine}{output}");
            }

            try
            {
                await blobs.GetPropertiesAsync(timeout.Token);
                await tables.GetPropertiesAsync(timeout.Token);
                return;
            }
            catch (Exception) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Azurite did not answer on ports {BlobPort} (blob) and {TablePort} (table) within {StartTimeout}. " +
                    $"Output:{Environment.NewLine}{output}");
            }
        }
    }

    private static string WriteParentWatch()
    {
        var path = Path.Combine(Path.GetTempPath(), "immortals-azurite-parent-watch-1.js");
        if (File.Exists(path) && File.ReadAllText(path) == ParentWatchScript)
        {
            return path;
        }

        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, ParentWatchScript);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    // Keeps the three listeners open together, so that the system cannot hand out one port twice.
    private static (int Blob, int Queue, int Table) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static void AddArgument(ProcessStartInfo startInfo, string name, string value)
    {
        startInfo.ArgumentList.Add(name);
        startInfo.ArgumentList.Add(value);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The last lines Azurite printed, for error messages.</summary>
    private sealed class OutputTail
    {
        private const int MaxLines = 50;
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
