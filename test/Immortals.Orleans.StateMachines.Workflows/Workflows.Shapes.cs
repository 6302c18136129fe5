using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>
/// Scenarios with the expression and statement forms in which the compiler spills values or adds states: switch
/// expressions, conditionals, tuples, checked arithmetic, nested finally blocks, using declarations, structs,
/// static local functions, constrained generics and overridden async methods.
/// </summary>
public sealed partial class Workflows
{
    /// <summary>Notes kept in a field of the owner, as a grain keeps state in its fields.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Adds results of calls to a list that the owner holds, through the field and through a local.</summary>
    public async Task<string> OwnerFieldAsync()
    {
        Notes.Add(await Calls.Call<string>("text", 1));
        var notes = Notes;
        var raised = await Calls.Call<int>("inc", notes.Count);
        notes.Add("raised " + raised);
        Notes.Add(await Calls.Call<string>("text", Notes.Count));
        return $"{string.Join(",", Notes)} {ReferenceEquals(notes, Notes)}";
    }

    /// <summary>Awaits inside foreach loops over an array, a list and a dictionary.</summary>
    public async Task<string> ForeachAsync()
    {
        var total = 0;
        foreach (var number in new[] { 1, 2 })
        {
            total += await Calls.Call<int>("inc", number);
        }

        var words = new List<string> { "a", "b" };
        var text = "";
        foreach (var word in words)
        {
            text += await Calls.Call<string>("text", word);
        }

        var prices = new Dictionary<string, int> { ["x"] = 3, ["y"] = 4 };
        foreach (var (name, price) in prices)
        {
            text += name + await Calls.Call<int>("square", price);
        }

        total += await Calls.Call<int>("inc", total);
        return $"{total} {text}";
    }

    /// <summary>Awaits inside the arms of switch expressions, one of them in the middle of a concatenation.</summary>
    public async Task<string> SwitchExpressionAsync()
    {
        var results = new List<string>();
        for (var kind = 0; kind < 3; kind++)
        {
            var label = kind switch
            {
                0 => "zero",
                1 => await Calls.Call<string>("text", kind),
                _ => "many " + await Calls.Call<int>("inc", kind),
            };
            var framed = "[" + kind switch
            {
                0 => await Calls.Call<int>("square", 4),
                _ => kind + await Calls.Call<int>("add", kind, 10),
            } + "]";
            results.Add(label + framed);
        }

        return string.Join(" ", results);
    }

    /// <summary>Awaits in both branches of conditional operators, after <c>??</c> and after <c>&amp;&amp;</c>.</summary>
    public async Task<string> ConditionalsAsync()
    {
        var flag = await Calls.Call<int>("inc", 0) == 1;
        var picked = flag ? await Calls.Call<int>("square", 5) : await Calls.Call<int>("inc", 5);
        var other = !flag ? await Calls.Call<int>("square", 6) : 100 + await Calls.Call<int>("inc", 6);
        string? missing = null;
        var fallback = missing ?? await Calls.Call<string>("text", "fallback");
        var both = flag && await Calls.Call<int>("inc", picked) > 25;
        return $"{flag} {picked} {other} {fallback} {both}";
    }

    /// <summary>Tuples built from awaits, deconstructed, and a tuple wider than seven elements.</summary>
    public async Task<string> TuplesAsync()
    {
        var (first, second) = (await Calls.Call<int>("inc", 1), await Calls.Call<string>("text", 2));
        var named = (Count: first, Label: second);
        var wide = (1, 2, 3, 4, 5, 6, 7, 8, "nine");
        named.Count += await Calls.Call<int>("square", named.Count);
        wide.Item8 = await Calls.Call<int>("inc", wide.Item8);
        (first, named.Label) = (named.Count, await Calls.Call<string>("text", named.Label));
        return $"{first} {second} {named} {wide}";
    }

    /// <summary>Checked arithmetic with values spilled around awaits, one that overflows after the await.</summary>
    public async Task<string> CheckedAsync()
    {
        var near = int.MaxValue - 10;
        var safe = checked(near + await Calls.Call<int>("inc", 3));
        var outcome = "safe " + safe;
        try
        {
            var overflow = checked(safe + await Calls.Call<int>("inc", 100));
            outcome += " unexpected " + overflow;
        }
        catch (OverflowException)
        {
            outcome += " overflow";
        }

        var product = checked((long)near * await Calls.Call<int>("square", 3));
        return outcome + " " + product;
    }

    /// <summary>Nested try/finally blocks with awaits in every try and finally, and a return through them.</summary>
    public async Task<string> NestedFinallyAsync()
    {
        var log = "start";
        try
        {
            try
            {
                log += " a" + await Calls.Call<int>("inc", 1);
            }
            finally
            {
                await Calls.Send("note", "inner finally");
                log += " b" + await Calls.Call<int>("square", 2);
                Journal.Add("inner finally");
            }

            log += " c" + await Calls.Call<int>("inc", 3);
            return log + " " + await Calls.Call<string>("text", "returned");
        }
        finally
        {
            try
            {
                Journal.Add("outer finally " + await Calls.Call<int>("inc", 4));
            }
            finally
            {
                Journal.Add("innermost finally " + await Calls.Call<int>("square", 5));
            }
        }
    }

    /// <summary>Using declarations that span awaits, and span and ref locals used between awaits.</summary>
    public async Task<string> UsingDeclarationsAsync()
    {
        using var first = new Resource("first");
        var numbers = new[] { 1, 2, 3 };
        var raised = await Calls.Call<int>("inc", numbers.Length);
        using var second = new Resource("second");
        {
            Span<int> span = numbers;
            span[0] = raised;
            ref var last = ref numbers[^1];
            last *= 10;
        }

        var squared = await Calls.Call<int>("square", numbers[0]);
        Journal.Add($"using {first.Name} {second.Name} {first.IsDisposed}");
        return $"{string.Join(",", numbers)} {squared}";
    }

    /// <summary>A mutable struct changed between awaits, passed by value and holding its own async method.</summary>
    public async Task<string> MutableStructAsync()
    {
        var counter = new Counter();
        counter.Add(await Calls.Call<int>("inc", 1));
        var copy = counter;
        counter.Add(await Calls.Call<int>("square", counter.Total));
        var fromCopy = await copy.AddLaterAsync(this, 7);
        counter.Total += await Calls.Call<int>("inc", counter.Count);
        return $"{counter.Total}/{counter.Count} {copy.Total}/{copy.Count} {fromCopy}";
    }

    /// <summary>A static async local function and a generic method with constraints.</summary>
    public async Task<string> StaticLocalAndConstraintsAsync()
    {
        static async Task<int> TwiceAsync(Workflows owner, int value)
        {
            var raised = await owner.Calls.Call<int>("inc", value);
            return raised * 2;
        }

        var twice = await TwiceAsync(this, 20);
        var larger = await LargerAsync(twice, 40);
        var list = await FreshAsync<List<int>>(twice);
        return $"{twice} {larger} {string.Join(",", list)}";
    }

    /// <summary>An override that awaits the base implementation of an async virtual method.</summary>
    public async Task<string> OverrideAsync()
    {
        var shape = new ShapeDerived { Scale = 3, Offset = 1000 };
        var derived = await shape.ComputeAsync(this, 4);
        ShapeBase plain = new() { Scale = 2 };
        var basic = await plain.ComputeAsync(this, derived);
        return $"{derived} {basic}";
    }

    /// <summary>An explicit interface implementation, a default interface method and overloaded async methods.</summary>
    public async Task<string> InterfacesAsync()
    {
        var step = new Step { Bonus = 10 };
        IStep asInterface = step;
        var twice = await asInterface.RaiseTwiceAsync(this, 1);
        var number = await step.ApplyAsync(this, twice);
        var text = await step.ApplyAsync(this, "four");
        var generic = await step.ApplyAsync(this, 2.5, 7);
        return $"{twice} {number} {text} {generic}";
    }

    private async Task<T> LargerAsync<T>(T left, T right)
        where T : struct, IComparable<T>
    {
        var echoed = await Calls.Call<T>("echo", right);
        return left.CompareTo(echoed) >= 0 ? left : echoed;
    }

    private async Task<T> FreshAsync<T>(int item)
        where T : class, ICollection<int>, new()
    {
        var collection = new T();
        collection.Add(await Calls.Call<int>("inc", item));
        collection.Add(await Calls.Call<int>("square", collection.Count));
        return collection;
    }
}
