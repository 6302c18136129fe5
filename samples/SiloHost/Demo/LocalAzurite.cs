using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using SiloHost.Hosting;

namespace SiloHost.Demo;

/// <summary>
/// An Azurite started from the repository's npm install (<c>node_modules/azurite</c>) on 127.0.0.1 with free ports
/// and in-memory data, killed on dispose.
/// </summary>
public sealed class LocalAzurite : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _workingDirectory;

    private LocalAzurite(Process process, string workingDirectory, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>Blob port.</summary>
    public int BlobPort { get; }

    /// <summary>Queue port.</summary>
    public int QueuePort { get; }

    /// <summary>Table port.</summary>
    public int TablePort { get; }

    /// <summary>Connection string with explicit 127.0.0.1 endpoints.</summary>
    public string ConnectionString => AzuriteConnectionString.Build(BlobPort, QueuePort, TablePort);

    /// <summary>Starts Azurite and waits until its blob and table endpoints respond.</summary>
    /// <exception cref="InvalidOperationException">Azurite is not installed or exited early.</exception>
    public static async Task<LocalAzurite> StartAsync(CancellationToken cancellationToken)
    {
        var script = FindScript();
        var ports = FreePorts.Take(3);
        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.CreateTempSubdirectory("immortals-demo-azurite-").FullName,
        };
        string[] arguments =
        [
            script,
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--silent", "--disableTelemetry",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Failed to start node.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new LocalAzurite(process, startInfo.WorkingDirectory, ports[0], ports[1], ports[2]);
        try
        {
            await azurite.WaitReadyAsync(cancellationToken);
            return azurite;
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_workingDirectory, recursive: true);
    }

    private static string FindScript()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (; directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException(
            $"Azurite is not installed: no node_modules/azurite above {AppContext.BaseDirectory}. "
            + "Run ./run.sh, which runs 'npm ci'.");
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var blobs = new BlobServiceClient(ConnectionString);
        var tables = new TableServiceClient(ConnectionString);
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {_process.ExitCode} before its endpoints responded.");
            }

            try
            {
                await blobs.GetPropertiesAsync(cancellationToken);
                await tables.GetPropertiesAsync(cancellationToken);
                return;
            }
            catch (Exception exception)
                when (exception is not OperationCanceledException && elapsed.Elapsed < StartTimeout)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
