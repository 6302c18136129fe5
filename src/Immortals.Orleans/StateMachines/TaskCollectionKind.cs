namespace Immortals.Orleans.StateMachines;

/// <summary>The collection type of a stored collection of tasks.</summary>
internal enum TaskCollectionKind : byte
{
    /// <summary>A one-dimensional zero-based array, such as <c>Task&lt;int&gt;[]</c>.</summary>
    Array = 0,

    /// <summary>A <see cref="List{T}"/>, such as <c>List&lt;Task&lt;int&gt;&gt;</c>.</summary>
    List = 1,
}
