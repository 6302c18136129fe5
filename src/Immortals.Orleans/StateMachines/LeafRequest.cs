namespace Immortals.Orleans.StateMachines;

/// <summary>
/// A leaf that a rebuild needs a new task for.
/// </summary>
/// <param name="LeafId">The id the caller gave the leaf at capture.</param>
/// <param name="ResultType">Result type of the leaf's task at capture, or <see langword="null"/> for a task without
/// a result.</param>
internal readonly record struct LeafRequest(long LeafId, Type? ResultType);
