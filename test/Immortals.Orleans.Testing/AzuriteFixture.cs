namespace Immortals.Orleans.Testing;

/// <summary>
/// Gives tests one Azurite shared by the whole test assembly, started on first use with in-memory persistence
/// and killed when the test process exits.
/// </summary>
/// <remarks>
/// When the environment variable <c>AZURITE_CONNECTION_STRING</c> is set, no process is started and tests use
/// that connection string instead. Tests isolate themselves by unique table, container and folder names.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Environment variable that points the tests at an already running storage account.</summary>
    public const string ConnectionStringVariable = "AZURITE_CONNECTION_STRING";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static AzuriteProcess? s_shared;

    /// <summary>Connection string of the storage account the tests use.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The shared Azurite process, or null when an external connection string is used.</summary>
    public AzuriteProcess? Process => s_shared;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            ConnectionString = external;
            return;
        }

        ConnectionString = (await GetSharedAsync()).ConnectionString;
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<AzuriteProcess> GetSharedAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            if (s_shared is { IsRunning: true })
            {
                return s_shared;
            }

            s_shared = await AzuriteProcess.StartAsync();
            var started = s_shared;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => started.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return started;
        }
        finally
        {
            StartLock.Release();
        }
    }
}
