namespace Immortals.Orleans.StateMachines;

/// <summary>The task combinator that created a promise task a frame awaits or holds.</summary>
internal enum TaskCombinatorKind : byte
{
    /// <summary><c>Task.WhenAll</c> over tasks without results: a <c>Task</c>.</summary>
    WhenAll = 0,

    /// <summary><c>Task.WhenAll&lt;T&gt;</c>: a <c>Task&lt;T[]&gt;</c> whose results keep the order of the inputs.</summary>
    WhenAllResults = 1,

    /// <summary><c>Task.WhenAny</c>: a <c>Task&lt;TTask&gt;</c> that completes with the first input to complete.</summary>
    WhenAny = 2,
}
