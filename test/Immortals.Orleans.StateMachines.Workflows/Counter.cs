namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>A mutable serializable struct kept in locals across awaits.</summary>
[GenerateSerializer]
public struct Counter
{
    /// <summary>Sum of the values added.</summary>
    [Id(0)]
    public int Total;

    /// <summary>Number of values added.</summary>
    [Id(1)]
    public int Count;

    /// <summary>Adds a value to this instance.</summary>
    public void Add(int value)
    {
        Total += value;
        Count++;
    }

    /// <summary>
    /// Adds the result of a call to the copy of this struct that the state machine holds, and returns that copy's
    /// total; the caller's instance is unchanged, as for any async method of a struct.
    /// </summary>
    public async Task<int> AddLaterAsync(Workflows owner, int value)
    {
        Add(await owner.Calls.Call<int>("inc", value));
        Add(await owner.Calls.Call<int>("square", Count));
        return Total;
    }
}
