namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>Static async methods of a generic type.</summary>
/// <typeparam name="T">Type of the values passed through.</typeparam>
public static class Steps<T>
{
    /// <summary>Echoes a value twice, through two calls.</summary>
    public static async Task<T[]> TwiceAsync(Workflows owner, T value)
    {
        var first = await owner.Calls.Call<T>("echo", value);
        var second = await owner.Calls.Call<T>("echo", first);
        return [first, second];
    }
}
