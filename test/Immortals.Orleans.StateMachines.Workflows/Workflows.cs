using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>
/// The owner of the workflows, standing in for a grain: every scenario is an async method on it (or on the
/// types it calls) that awaits calls made through <see cref="Calls"/>.
/// </summary>
public sealed partial class Workflows(LeafCalls calls, Journal journal) : IWorkflowOwner
{
    /// <inheritdoc />
    public LeafCalls Calls => calls;

    /// <inheritdoc />
    public Journal Journal => journal;

    /// <summary>A loop whose locals change between awaits.</summary>
    public async Task<string> LoopAsync(int count)
    {
        var total = 0;
        var text = string.Empty;
        for (var i = 0; i < count; i++)
        {
            var square = await Calls.Call<int>("square", i);
            total += square;
            text += i;
            Journal.Add($"loop {i}: {total}");
        }

        return $"total {total} text {text}";
    }

    /// <summary>Four nested frames: instance and static, returning Task&lt;T&gt;, ValueTask&lt;T&gt;, Task and ValueTask.</summary>
    public async Task<string> NestedAsync(int seed)
    {
        var label = "n" + seed;
        var two = await LevelTwoAsync(seed + 1);
        Journal.Add($"nested got {two}");
        await LevelVoidAsync(label);
        return $"{label}:{two}";
    }

    /// <summary>Awaits leaves of type Task, Task&lt;T&gt; and ValueTask&lt;T&gt;, and one behind a pass-through frame.</summary>
    public async Task<string> LeavesAsync()
    {
        await Calls.Send("note", "start");
        var number = await Calls.Call<int>("inc", 41);
        var text = await Calls.CallValue<string>("text", number);
        var filtered = await Calls.CallFiltered<int>("square", number);
        return $"{number} {text} {filtered}";
    }

    /// <summary>A method that returns ValueTask&lt;T&gt; as a root.</summary>
    public async ValueTask<int> ValueRootAsync()
    {
        var first = await Calls.CallValue<int>("inc", 1);
        var second = await Calls.Call<int>("square", first);
        return first + second;
    }

    private async ValueTask<int> LevelTwoAsync(int x)
    {
        var doubled = x * 2;
        var three = await LevelThreeAsync(this, doubled);
        return three + doubled;
    }

    private static async Task<int> LevelThreeAsync(Workflows owner, int y)
    {
        var raised = await owner.Calls.Call<int>("inc", y);
        owner.Journal.Add($"three {raised}");
        await LevelFourAsync(owner, raised);
        return raised * 10;
    }

    private static async Task LevelFourAsync(Workflows owner, int z)
    {
        var squared = await owner.Calls.Call<int>("square", z);
        owner.Journal.Add($"four {squared}");
        await owner.Calls.Send("note", squared);
    }

    private async ValueTask LevelVoidAsync(string label)
    {
        var text = await Calls.CallValue<string>("text", label);
        Journal.Add("void " + text);
    }
}
