using SiloHost.Diagnostics;
using SiloHost.Grains;

namespace SiloHost.Demo;

/// <summary>The demo's results and checks, printed as a table.</summary>
internal sealed class DemoSummary
{
    private readonly List<(string Name, string Value, string Note)> _rows = [];
    private readonly List<(bool Passed, string Text)> _checks = [];

    /// <summary>True when every check passed.</summary>
    public bool Passed => _checks.All(check => check.Passed);

    /// <summary>Collects the figures and runs the checks.</summary>
    public static DemoSummary Create(
        OrderDriver driver,
        KillPoint kill,
        PluginTotals survivors,
        EffectReport effects)
    {
        var summary = new DemoSummary();
        var orders = driver.Orders;
        var interrupted = orders.Where(order => kill.Interrupted.Contains(order.Request.OrderId)).ToList();
        var resumed = interrupted.Count(
            order => order.Outcome is { } outcome && outcome.FinishedOnSilo != kill.SiloAddress);
        var shipped = orders.Count(order => order.Outcome?.Stage == OrderStage.Shipped);
        var cancelled = orders.Count(order => order.Outcome?.Stage == OrderStage.Cancelled);
        var declined = orders.Count(order => OrderCatalog.IsDeclined(order.Request));
        var finished = driver.Finished;

        summary.Row("workflows started", orders.Count, $"{declined} of them pay with a card that is declined");
        summary.Row("interrupted", interrupted.Count, $"suspended on silo {kill.SiloAddress} when it got SIGKILL");
        summary.Row("resumed", resumed, "interrupted workflows that finished on another silo");
        summary.Row("finished", finished, $"{shipped} shipped, {cancelled} cancelled with their stock released");
        var resendsAfter = survivors.Resends - kill.SurvivorsBefore.Resends;
        var duplicatesAfter = survivors.DuplicatesDropped - kill.SurvivorsBefore.DuplicatesDropped;
        var restoresAfter = survivors.Restores - kill.SurvivorsBefore.Restores;
        summary.Row(
            "calls re-sent",
            survivors.Resends,
            $"immortals.resends of the surviving silos, {resendsAfter} after the kill");
        summary.Row(
            "duplicates dropped",
            survivors.DuplicatesDropped,
            $"immortals.duplicates.dropped of the surviving silos, {duplicatesAfter} after the kill");
        summary.Row(
            "activations recovered",
            survivors.Restores,
            $"immortals.restores of the surviving silos, {restoresAfter} after the kill");
        summary.Row(
            "effects",
            effects.ExactlyOnce ? "exact" : "WRONG",
            $"{effects.Reservations} reservations, {effects.Releases} releases, {effects.Charges} charges, " +
            $"{effects.Declines} declines, {effects.Shipments} shipments");

        summary.Check(interrupted.Count > 0, $"a silo was killed with {interrupted.Count} workflows suspended on it");
        summary.Check(
            resumed == interrupted.Count,
            $"{resumed} of {interrupted.Count} interrupted workflows resumed on another silo");
        summary.Check(finished == orders.Count, $"{finished} of {orders.Count} workflows finished");
        summary.Check(
            shipped == orders.Count - declined && cancelled == declined,
            $"{shipped} shipped and {cancelled} cancelled, as the cards require");
        summary.Check(resendsAfter > 0, $"grains re-sent the calls that the killed silo left open ({resendsAfter})");
        summary.Check(
            effects.ExactlyOnce,
            "every reservation, release, charge, decline and shipment happened exactly once");
        foreach (var problem in effects.Problems.Take(20))
        {
            summary._checks.Add((false, "  " + problem));
        }

        return summary;
    }

    /// <summary>Prints the table and the checks.</summary>
    public void Print(TextWriter output)
    {
        var nameWidth = _rows.Max(row => row.Name.Length);
        var valueWidth = _rows.Max(row => row.Value.Length);
        output.WriteLine();
        output.WriteLine("Summary");
        foreach (var (name, value, note) in _rows)
        {
            output.WriteLine($"  {name.PadRight(nameWidth)}  {value.PadLeft(valueWidth)}  {note}");
        }

        output.WriteLine();
        output.WriteLine("Checks");
        foreach (var (passed, text) in _checks)
        {
            output.WriteLine($"  {(passed ? "PASS" : "FAIL")}  {text}");
        }

        output.WriteLine();
        output.WriteLine(Passed ? "All checks passed." : "Some checks failed.");
    }

    private void Row(string name, object value, string note) => _rows.Add((name, value.ToString() ?? "", note));

    private void Check(bool passed, string text) => _checks.Add((passed, text));
}
