namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Implements <see cref="IStep"/> explicitly and overloads an async method.</summary>
[GenerateSerializer]
public sealed class Step : IStep
{
    /// <summary>Amount added after each call.</summary>
    [Id(0)]
    public int Bonus { get; set; }

    /// <inheritdoc />
    async Task<int> IStep.RaiseAsync(Workflows owner, int value)
    {
        async Task<int> AddBonusAsync(int raised)
        {
            var echoed = await owner.Calls.Call<int>("echo", raised);
            return echoed + Bonus;
        }

        var raised = await owner.Calls.Call<int>("inc", value);
        return await AddBonusAsync(raised);
    }

    /// <summary>Squares a number through a call.</summary>
    public async Task<int> ApplyAsync(Workflows owner, int value)
    {
        var squared = await owner.Calls.Call<int>("square", value);
        return squared;
    }

    /// <summary>Echoes a text through a call; an overload of the method above.</summary>
    public async Task<int> ApplyAsync(Workflows owner, string value)
    {
        var echoed = await owner.Calls.Call<string>("echo", value);
        return echoed.Length;
    }

    /// <summary>Echoes a value through a call; a generic overload of the methods above.</summary>
    public async Task<int> ApplyAsync<T>(Workflows owner, T value, int weight)
    {
        var echoed = await owner.Calls.Call<T>("echo", value);
        return (echoed?.GetHashCode() is not null ? 1 : 0) * weight;
    }
}
