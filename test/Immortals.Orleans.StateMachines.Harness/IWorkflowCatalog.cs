namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// The scenarios of one build of the workflow sources (Release or Debug).
/// </summary>
public interface IWorkflowCatalog
{
    /// <summary>Names of the scenarios a run can start.</summary>
    IReadOnlyList<string> Scenarios { get; }

    /// <summary>Creates a new owner over <paramref name="calls"/> and <paramref name="journal"/>.</summary>
    IWorkflowOwner CreateOwner(LeafCalls calls, Journal journal);

    /// <summary>
    /// Starts a scenario on <paramref name="owner"/> and returns the tasks of its outermost methods (the roots).
    /// Must run on the scheduler the scenario is to run on.
    /// </summary>
    IReadOnlyList<Task> Start(string scenario, IWorkflowOwner owner);
}
