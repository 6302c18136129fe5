namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Scenarios with Task.WhenAll, Task.WhenAny and collections of tasks held across awaits.</summary>
public sealed partial class Workflows
{
    /// <summary>Awaits Task.WhenAll over two calls and uses the array of results.</summary>
    public async Task<int> WhenAllResultsAsync()
    {
        var before = await Calls.Call<int>("inc", 1);
        var both = await Task.WhenAll(Calls.Call<int>("inc", before), Calls.Call<int>("square", before));
        return both[0] + both[1];
    }

    /// <summary>Fans out into a list of calls, awaits them all, then reads the results from the list's tasks.</summary>
    public async Task<string> WhenAllListAsync()
    {
        var tasks = new List<Task<int>>();
        for (var i = 1; i <= 3; i++)
        {
            tasks.Add(Calls.Call<int>("square", i));
        }

        await Task.WhenAll(tasks);
        var first = await Calls.Call<int>("inc", tasks[0].Result);
        Journal.Add($"list {tasks.Count}");
        return $"{first} {tasks[1].Result} {tasks[2].Result}";
    }

    /// <summary>
    /// Awaits Task.WhenAll without results over a call without result, a call through a pass-through wrapper and
    /// an async method that makes two calls in a row, held in an array.
    /// </summary>
    public async Task<int> WhenAllMixedAsync()
    {
        var tasks = new Task[] { Calls.Send("note", 1), Calls.CallFiltered<int>("inc", 5), InnerAsync(2) };
        await Task.WhenAll(tasks);
        var after = await Calls.Call<int>("inc", ((Task<int>)tasks[1]).Result);
        return after + ((Task<int>)tasks[2]).Result;
    }

    /// <summary>
    /// Awaits Task.WhenAll without results over a call and an async method that makes two calls in a row, with
    /// no local that holds the tasks.
    /// </summary>
    public async Task<int> WhenAllInlineAsync()
    {
        await Task.WhenAll(Calls.Send("note", 1), InnerAsync(3));
        return await Calls.Call<int>("inc", 100);
    }

    /// <summary>Awaits Task.WhenAll over an enumerable of async method calls; each method makes two calls.</summary>
    public async Task<int> WhenAllMethodsAsync(int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, count).Select(i => InnerAsync(i)));
        Journal.Add("methods " + string.Join(",", results));
        return results.Sum();
    }

    /// <summary>
    /// Awaits Task.WhenAny over three calls listed in another order than they were made, then keeps using the
    /// winner and the array across later awaits: the winner must stay the same element of the array.
    /// </summary>
    public async Task<string> WhenAnyWinnerAsync()
    {
        var oldest = Calls.Call<int>("square", 3);
        var middle = Calls.Call<int>("square", 4);
        var newest = Calls.Call<int>("square", 5);
        var tasks = new[] { newest, oldest, middle };
        var winner = await Task.WhenAny(tasks);
        var index = Array.IndexOf(tasks, winner);
        Journal.Add($"winner {index}");
        var next = await Calls.Call<int>("inc", winner.Result);
        var same = ReferenceEquals(winner, tasks[index]);
        var all = await Task.WhenAll(tasks);
        return $"{index} {next} {same} {all.Sum()}";
    }

    /// <summary>Awaits Task.WhenAny over two calls without results, and over a list of three calls with results.</summary>
    public async Task<string> WhenAnyTasksAsync()
    {
        var notes = new[] { Calls.Send("note", 1), Calls.Send("note", 2) };
        var first = await Task.WhenAny(notes[0], notes[1]);
        var list = new List<Task<string>> { Calls.Call<string>("text", "a"), Calls.Call<string>("text", "b"), Calls.Call<string>("text", "c") };
        var second = await Task.WhenAny(list);
        var text = await second;
        await Task.WhenAll(list);
        await Task.WhenAll(notes);
        return $"{first.Status} {Array.IndexOf(notes, first)} {list.IndexOf(second)} {text}";
    }

    /// <summary>Holds a pending Task.WhenAny in a local across another await, then awaits it.</summary>
    public async Task<string> WhenAnyPendingLocalAsync()
    {
        var six = Calls.Call<int>("square", 6);
        var seven = Calls.Call<int>("square", 7);
        var racing = Task.WhenAny(seven, six);
        var between = await Calls.Call<int>("inc", 1);
        Journal.Add($"between {between} {racing.IsCompleted}");
        var winner = await racing;
        return $"{between} {await winner} {await six + await seven}";
    }

    /// <summary>Awaits Task.WhenAll over a Task.WhenAny and a call.</summary>
    public async Task<string> NestedCombinatorsAsync()
    {
        var two = Calls.Call<int>("square", 2);
        var three = Calls.Call<int>("square", 3);
        var any = Task.WhenAny(two, three);
        var call = Calls.Call<int>("inc", 10);
        await Task.WhenAll(any, call);
        var winner = await any;
        return $"{winner.Result} {call.Result} {await two + await three}";
    }

    /// <summary>Holds one finished call task in two locals and a list across an await.</summary>
    public async Task<string> FinishedTaskSharedAsync()
    {
        var early = Calls.Call<int>("square", 8);
        var copy = early;
        var list = new List<Task<int>> { early };
        await early;
        var raised = await Calls.Call<int>("inc", early.Result);
        return $"{raised} {ReferenceEquals(copy, early)} {ReferenceEquals(list[0], early)}";
    }
}
