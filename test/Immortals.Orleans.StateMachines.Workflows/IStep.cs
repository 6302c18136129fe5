namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>An interface with an async default method and an async method implemented explicitly.</summary>
public interface IStep
{
    /// <summary>Raises a value through a call; implemented explicitly.</summary>
    Task<int> RaiseAsync(Workflows owner, int value);

    /// <summary>Raises a value twice, through the default implementation.</summary>
    async Task<int> RaiseTwiceAsync(Workflows owner, int value)
    {
        var once = await RaiseAsync(owner, value);
        var twice = await RaiseAsync(owner, once);
        return twice;
    }
}
