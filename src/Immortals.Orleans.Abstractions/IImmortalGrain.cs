namespace Immortals.Orleans;

/// <summary>
/// Marks a grain class as immortal: its async methods are checkpointed while they await calls and
/// resume on another silo after the silo that ran them fails.
/// </summary>
/// <remarks>
/// Implement this interface on the grain class, next to its grain interfaces. It declares no members.
/// </remarks>
public interface IImmortalGrain
{
}
