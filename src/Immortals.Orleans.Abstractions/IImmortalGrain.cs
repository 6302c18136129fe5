using Immortals.Orleans.Filters;

namespace Immortals.Orleans;

/// <summary>
/// Marks a grain class as immortal: its async methods are checkpointed while they await calls and
/// resume on another silo after the silo that ran them fails.
/// </summary>
/// <remarks>
/// Implement this interface on the grain class, next to its grain interfaces. It declares no members to implement.
/// It brings a grain-level <see cref="IIncomingGrainCallFilter"/> with it, through which requests to the grain reach
/// the plugin, so that calls to ordinary grains skip Orleans' filter pipeline. The grain class must not implement
/// <see cref="IIncomingGrainCallFilter.Invoke"/> itself: its activation fails when it does. Use a silo-wide filter
/// (<c>AddIncomingGrainCallFilter</c>) instead; silo-wide filters run before this one.
/// </remarks>
public interface IImmortalGrain : IIncomingGrainCallFilter
{
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => ImmortalIncomingCallHook.Invoke(context);
}
