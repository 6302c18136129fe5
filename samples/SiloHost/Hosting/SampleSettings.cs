namespace SiloHost.Hosting;

/// <summary>
/// Settings of a sample silo, bound from the <c>Sample</c> section of <c>appsettings.json</c>, environment variables
/// (<c>Sample__SiloPort</c>) and command-line options (<c>--silo-port</c>).
/// </summary>
public sealed class SampleSettings
{
    /// <summary>Configuration section of the settings.</summary>
    public const string SectionName = "Sample";

    /// <summary>
    /// Checkpoint store: <c>local</c>, <c>azurite</c> or <c>azure</c>, the default when a connection string is set.
    /// </summary>
    public string Storage { get; set; } = StorageKinds.Local;

    /// <summary>Directory of the local checkpoint store.</summary>
    public string Directory { get; set; } = "immortal-checkpoints";

    /// <summary>Connection string of an Azure Storage account for <c>azure</c> storage.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Blob port of an Azurite on 127.0.0.1 for <c>azurite</c> storage.</summary>
    public int AzuriteBlobPort { get; set; } = 10000;

    /// <summary>Queue port of an Azurite on 127.0.0.1 for <c>azurite</c> storage.</summary>
    public int AzuriteQueuePort { get; set; } = 10001;

    /// <summary>Table port of an Azurite on 127.0.0.1 for <c>azurite</c> storage.</summary>
    public int AzuriteTablePort { get; set; } = 10002;

    /// <summary>Azure table of the checkpoints.</summary>
    public string CheckpointTable { get; set; } = "immortalscheckpoints";

    /// <summary>Blob container for checkpoints too large for a table entity.</summary>
    public string SpillContainer { get; set; } = "immortals-spill";

    /// <summary>Cluster membership: <c>localhost</c> (development clustering) or <c>azure</c> (Azure Table).</summary>
    public string Clustering { get; set; } = ClusteringKinds.Localhost;

    /// <summary>Azure table of the cluster membership for <c>azure</c> clustering.</summary>
    public string MembershipTable { get; set; } = "OrleansSiloInstances";

    /// <summary>Silo-to-silo port on 127.0.0.1.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port on 127.0.0.1.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Silo port of the primary silo, which keeps the membership table of <c>localhost</c> clustering. A silo whose
    /// own port equals it is the primary.
    /// </summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>Orleans service id. Silos that share it and the checkpoint store share the checkpoints.</summary>
    public string ServiceId { get; set; } = "immortals-sample";

    /// <summary>Orleans cluster id.</summary>
    public string ClusterId { get; set; } = "immortals-sample";

    /// <summary>Directory where the silo writes its status file, or null for none.</summary>
    public string? StatusDirectory { get; set; }

    /// <summary>Seconds the carrier takes to book a shipment.</summary>
    public double ShippingSeconds { get; set; } = 5;

    /// <summary>Process id of the demo that started the silo. The silo stops when that process has exited.</summary>
    public int? ParentProcessId { get; set; }

    /// <summary>Returns the storage kind in effect: <c>azure</c> when only a connection string is set.</summary>
    public string EffectiveStorage =>
        !string.IsNullOrEmpty(ConnectionString) && Storage == StorageKinds.Local ? StorageKinds.Azure : Storage;

    /// <summary>
    /// Returns the connection string of the Azure Storage account, with explicit 127.0.0.1 endpoints for Azurite.
    /// </summary>
    /// <exception cref="InvalidOperationException">The storage is local.</exception>
    public string StorageConnectionString() => EffectiveStorage switch
    {
        StorageKinds.Azurite => AzuriteConnectionString.Build(AzuriteBlobPort, AzuriteQueuePort, AzuriteTablePort),
        StorageKinds.Azure => ConnectionString!,
        _ => throw new InvalidOperationException("Local storage has no connection string."),
    };

    /// <summary>Returns the errors of invalid settings, or an empty list.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (Storage is not (StorageKinds.Local or StorageKinds.Azurite or StorageKinds.Azure))
        {
            errors.Add($"Invalid storage '{Storage}': use local, azurite or azure.");
        }

        if (EffectiveStorage == StorageKinds.Azure && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("Storage 'azure' needs --connection-string.");
        }

        if (EffectiveStorage == StorageKinds.Azurite && !string.IsNullOrEmpty(ConnectionString))
        {
            errors.Add("Storage 'azurite' builds its own 127.0.0.1 connection string: do not set --connection-string.");
        }

        if (Clustering is not (ClusteringKinds.Localhost or ClusteringKinds.Azure))
        {
            errors.Add($"Invalid clustering '{Clustering}': use localhost or azure.");
        }

        if (Clustering == ClusteringKinds.Azure && EffectiveStorage == StorageKinds.Local)
        {
            errors.Add(
                "Clustering 'azure' keeps membership in the storage account: "
                + "use --storage azurite or --connection-string.");
        }

        if (ShippingSeconds < 0)
        {
            errors.Add($"Invalid shipping time {ShippingSeconds}: it must be zero or more seconds.");
        }

        return errors;
    }
}
