namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Scenarios with tasks held in locals and values spilled around awaits.</summary>
public sealed partial class Workflows
{
    /// <summary>Tasks started early and awaited after other awaits: a leaf, a pass-through call and a frame.</summary>
    public async Task<string> EarlyTaskAsync()
    {
        var early = Calls.Call<int>("square", 7);
        var filtered = Calls.CallFiltered<int>("inc", 100);
        var inner = InnerAsync(3);
        var a = await Calls.Call<int>("inc", 1);
        var b = await Calls.Call<int>("inc", a);
        var e = await early;
        var f = await filtered;
        var i = await inner;
        return $"{a} {b} {e} {f} {i}";
    }

    /// <summary>Values spilled around awaits: compound assignment, concatenation, arguments, array elements.</summary>
    public async Task<string> SpillAsync()
    {
        var x = 10;
        x += await Calls.Call<int>("inc", 1);
        var text = "a" + await Calls.Call<string>("text", "b") + "c";
        var sum = Combine(x, await Calls.Call<int>("square", 3), x * 2);
        var array = new[] { 1, 2, await Calls.Call<int>("inc", 2) };
        return $"{x} {text} {sum} {string.Join(",", array)}";
    }

    /// <summary>Awaits with ConfigureAwait(false); the continuations run on the thread pool.</summary>
    public async Task<int> ConfiguredAsync()
    {
        var a = await Calls.Call<int>("inc", 1).ConfigureAwait(false);
        var b = await Calls.CallValue<int>("inc", a).ConfigureAwait(false);
        Journal.Add($"configured {a} {b}");
        var c = await Calls.Call<int>("square", b);
        return a + b + c;
    }

    /// <summary>Finished tasks that are not calls, held in locals across awaits: succeeded, faulted, canceled.</summary>
    public async Task<string> FinishedLocalsAsync()
    {
        var succeeded = Task.FromResult(40);
        var faulted = Task.FromException<string>(new InvalidOperationException("early failure"));
        var canceled = Task.FromCanceled(new CancellationToken(canceled: true));
        var finished = InnerAsync(2);
        var raised = await Calls.Call<int>("inc", 1);
        var outcome = $"{await succeeded + raised}";
        try
        {
            outcome += " " + await faulted;
        }
        catch (InvalidOperationException error)
        {
            outcome += " caught " + error.Message;
        }

        outcome += $" {canceled.Status} {finished.Status} {await finished}";
        return outcome;
    }

    private static int Combine(int a, int b, int c) => (a * 100) + (b * 10) + c;

    private async Task<int> InnerAsync(int value)
    {
        var squared = await Calls.Call<int>("square", value);
        Journal.Add("inner " + squared);
        var raised = await Calls.Call<int>("inc", squared);
        return raised;
    }
}
