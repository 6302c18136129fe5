namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>A serializable generic class whose async method is part of a captured chain.</summary>
/// <typeparam name="T">Type of the items.</typeparam>
[GenerateSerializer]
public sealed class Tally<T>
{
    /// <summary>Items added so far.</summary>
    [Id(0)]
    public List<T> Items { get; private set; } = [];

    /// <summary>Adds an item after a call that echoes it; returns the new count.</summary>
    public async Task<int> AddAsync(Workflows owner, T item)
    {
        var echoed = await owner.Calls.Call<T>("echo", item);
        Items.Add(echoed);
        return Items.Count;
    }
}
