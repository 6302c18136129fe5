namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// One call a workflow made: the request, and once completed its outcome. Saved with a capture so the rebuilt
/// world can complete the same call, the way a call cache would.
/// </summary>
/// <param name="Id">Leaf id, in call order from 1.</param>
/// <param name="Operation">Operation name the <see cref="Responder"/> understands.</param>
/// <param name="Arguments">Request arguments.</param>
[GenerateSerializer]
public sealed record LeafCall(
    [property: Id(0)] long Id,
    [property: Id(1)] string Operation,
    [property: Id(2)] object?[] Arguments)
{
    /// <summary>Whether the call has an outcome.</summary>
    [Id(3)]
    public bool IsCompleted { get; set; }

    /// <summary>Result of a call that succeeded.</summary>
    [Id(4)]
    public object? Result { get; set; }

    /// <summary>Error of a call that failed.</summary>
    [Id(5)]
    public Exception? Error { get; set; }
}
