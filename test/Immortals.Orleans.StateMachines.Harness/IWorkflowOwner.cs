namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// The object whose methods the workflows are, standing in for a grain: it makes calls and writes side effects.
/// </summary>
public interface IWorkflowOwner
{
    /// <summary>Calls the workflows make.</summary>
    LeafCalls Calls { get; }

    /// <summary>Side effects the workflows write.</summary>
    Journal Journal { get; }
}
