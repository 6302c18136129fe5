using SiloHost.Grains;

namespace SiloHost.Diagnostics;

/// <summary>What a silo process reports in its status file: whether it runs, its counters and its orders.</summary>
public sealed class SiloReport
{
    /// <summary>Id of the silo process.</summary>
    public int ProcessId { get; set; }

    /// <summary>Silo-to-silo port, which names the status file.</summary>
    public int SiloPort { get; set; }

    /// <summary>Silo address with its generation, once the silo has started.</summary>
    public string? SiloAddress { get; set; }

    /// <summary>True once the silo has joined the cluster and accepts requests.</summary>
    public bool Started { get; set; }

    /// <summary>Totals of the plugin's counters in this process.</summary>
    public PluginTotals Metrics { get; set; } = new();

    /// <summary>Stages of the order workflows active on this silo.</summary>
    public Dictionary<string, OrderStage> Orders { get; set; } = [];

    /// <summary>Orders whose shipment booking started at the carrier on this silo.</summary>
    public List<string> AtCarrier { get; set; } = [];

    /// <summary>Returns the path of the status file of the silo with <paramref name="siloPort"/>.</summary>
    public static string FilePath(string directory, int siloPort) =>
        Path.Combine(directory, $"silo-{siloPort}.json");
}
