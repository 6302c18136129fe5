namespace SiloHost.Diagnostics;

/// <summary>Totals of the plugin's counters in one silo process since it started.</summary>
public sealed class PluginTotals
{
    /// <summary>Calls and results sent again (<c>immortals.resends</c>).</summary>
    public long Resends { get; set; }

    /// <summary>Deliveries recognized as duplicates and not run again (<c>immortals.duplicates.dropped</c>).</summary>
    public long DuplicatesDropped { get; set; }

    /// <summary>Activations recovered from a checkpoint (<c>immortals.restores</c>).</summary>
    public long Restores { get; set; }

    /// <summary>Checkpoints written (<c>immortals.checkpoints.written</c>).</summary>
    public long CheckpointsWritten { get; set; }
}
