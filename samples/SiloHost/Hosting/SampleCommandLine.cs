namespace SiloHost.Hosting;

/// <summary>Command-line options of the silo role and the configuration keys they set.</summary>
public static class SampleCommandLine
{
    /// <summary>Maps each option to its key in the <c>Sample</c> section.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--storage"] = Key(nameof(SampleSettings.Storage)),
        ["--directory"] = Key(nameof(SampleSettings.Directory)),
        ["--connection-string"] = Key(nameof(SampleSettings.ConnectionString)),
        ["--azurite-blob-port"] = Key(nameof(SampleSettings.AzuriteBlobPort)),
        ["--azurite-queue-port"] = Key(nameof(SampleSettings.AzuriteQueuePort)),
        ["--azurite-table-port"] = Key(nameof(SampleSettings.AzuriteTablePort)),
        ["--checkpoint-table"] = Key(nameof(SampleSettings.CheckpointTable)),
        ["--spill-container"] = Key(nameof(SampleSettings.SpillContainer)),
        ["--clustering"] = Key(nameof(SampleSettings.Clustering)),
        ["--membership-table"] = Key(nameof(SampleSettings.MembershipTable)),
        ["--silo-port"] = Key(nameof(SampleSettings.SiloPort)),
        ["--gateway-port"] = Key(nameof(SampleSettings.GatewayPort)),
        ["--primary-silo-port"] = Key(nameof(SampleSettings.PrimarySiloPort)),
        ["--service-id"] = Key(nameof(SampleSettings.ServiceId)),
        ["--cluster-id"] = Key(nameof(SampleSettings.ClusterId)),
        ["--status-directory"] = Key(nameof(SampleSettings.StatusDirectory)),
        ["--shipping-seconds"] = Key(nameof(SampleSettings.ShippingSeconds)),
        ["--parent-pid"] = Key(nameof(SampleSettings.ParentProcessId)),
    };

    /// <summary>Help text of the silo role.</summary>
    public const string Usage = """
        SiloHost silo [options]      runs one silo until Ctrl+C

          --storage local|azurite|azure   checkpoint store (default local; azure when --connection-string is set)
          --directory PATH                directory of the local store (default ./immortal-checkpoints)
          --connection-string VALUE       Azure Storage account for checkpoints (and membership with --clustering azure)
          --azurite-blob-port N           Azurite ports on 127.0.0.1 for --storage azurite (default 10000,
          --azurite-queue-port N          10001 and 10002)
          --azurite-table-port N
          --clustering localhost|azure    membership: development clustering or an Azure table (default localhost)
          --silo-port N                   silo-to-silo port on 127.0.0.1 (default 11111)
          --gateway-port N                client gateway port on 127.0.0.1 (default 30000)
          --primary-silo-port N           silo port of the primary silo for localhost clustering (default 11111)
          --shipping-seconds N            seconds the sample carrier takes to book a shipment (default 5)

        Every option is also a key of the Sample section in appsettings.json.
        """;

    private static string Key(string property) => SampleSettings.SectionName + ":" + property;
}
