using DurableTask.AzureStorage;

namespace Immortals.Orleans.Benchmarks.Dtfx;

/// <summary>
/// A set of <see cref="AzureStorageOrchestrationServiceSettings"/>: the package defaults, or the defaults tuned for
/// latency and fast recovery on one host.
/// </summary>
internal sealed class DtfxProfile
{
    /// <summary>The defaults of DurableTask.AzureStorage 2.11.3, except the names that every run must set.</summary>
    public static readonly DtfxProfile Defaults = new("defaults", _ => { });

    /// <summary>
    /// Settings tuned for a single host under test. Queues are polled at least every 500 ms instead of 30 s, and
    /// queue messages of a dead worker become visible again after 5 s instead of 5 min. Partition leases expire
    /// after 5 s instead of 30 s and are renewed and rebalanced every 2 s instead of 10 s.
    /// </summary>
    public static readonly DtfxProfile Tuned = new("tuned", settings =>
    {
        settings.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500);
        settings.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(5);
        settings.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(5);
        settings.LeaseInterval = TimeSpan.FromSeconds(5);
        settings.LeaseRenewInterval = TimeSpan.FromSeconds(2);
        settings.LeaseAcquireInterval = TimeSpan.FromSeconds(2);
    });

    private readonly Action<AzureStorageOrchestrationServiceSettings> _tune;

    private DtfxProfile(string name, Action<AzureStorageOrchestrationServiceSettings> tune)
    {
        Name = name;
        _tune = tune;
    }

    /// <summary>Name of the profile, as given to a worker process.</summary>
    public string Name { get; }

    /// <summary>Returns the profile named <paramref name="name"/>.</summary>
    public static DtfxProfile Parse(string name) => name switch
    {
        "defaults" => Defaults,
        "tuned" => Tuned,
        _ => throw new ArgumentException(
            $"Unknown settings profile '{name}': expected 'defaults' or 'tuned'.",
            nameof(name)),
    };

    /// <summary>
    /// Creates the settings for one worker or client. The connection string must name explicit 127.0.0.1
    /// endpoints. The worker id must be unique per process, because two workers with one id count as the same
    /// lease owner, and the default id is the machine name.
    /// </summary>
    public AzureStorageOrchestrationServiceSettings CreateSettings(string connectionString, string taskHub, string workerId)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            WorkerId = workerId,
        };
        _tune(settings);
        return settings;
    }

    /// <summary>Describes the settings that matter for latency and recovery, as this profile sets them.</summary>
    public string Describe()
    {
        var settings = new AzureStorageOrchestrationServiceSettings();
        _tune(settings);
        return $"MaxQueuePollingInterval {settings.MaxQueuePollingInterval}, "
            + $"ControlQueueVisibilityTimeout {settings.ControlQueueVisibilityTimeout}, "
            + $"WorkItemQueueVisibilityTimeout {settings.WorkItemQueueVisibilityTimeout}, "
            + $"LeaseInterval {settings.LeaseInterval}, LeaseRenewInterval {settings.LeaseRenewInterval}, "
            + $"LeaseAcquireInterval {settings.LeaseAcquireInterval}, PartitionCount {settings.PartitionCount}, "
            + $"UseTablePartitionManagement {settings.UseTablePartitionManagement}, "
            + $"ExtendedSessionsEnabled {settings.ExtendedSessionsEnabled}, "
            + $"MaxConcurrentTaskActivityWorkItems {settings.MaxConcurrentTaskActivityWorkItems}, "
            + $"MaxConcurrentTaskOrchestrationWorkItems {settings.MaxConcurrentTaskOrchestrationWorkItems}";
    }
}
