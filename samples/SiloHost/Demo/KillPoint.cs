using SiloHost.Diagnostics;

namespace SiloHost.Demo;

/// <summary>The silo chosen to die and the workflows suspended on it.</summary>
/// <param name="Slot">Index of the silo in the demo's silo list.</param>
/// <param name="SiloAddress">Address of the silo with its generation.</param>
/// <param name="Interrupted">Orders whose workflow was suspended on the silo.</param>
internal sealed record KillPoint(int Slot, string SiloAddress, IReadOnlyList<string> Interrupted)
{
    /// <summary>Counters of the other silos when the silo was killed.</summary>
    public PluginTotals SurvivorsBefore { get; set; } = new();
}
