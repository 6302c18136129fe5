using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Workflows;

/// <summary>The scenarios of this build, by name.</summary>
public sealed class WorkflowCatalog : IWorkflowCatalog
{
    private static readonly Dictionary<string, Func<Workflows, IReadOnlyList<Task>>> Supported = new()
    {
        ["loop"] = w => [w.LoopAsync(4)],
        ["nested"] = w => [w.NestedAsync(5)],
        ["leaves"] = w => [w.LeavesAsync()],
        ["value-root"] = w => [w.ValueRootAsync().AsTask()],
        ["early-task"] = w => [w.EarlyTaskAsync()],
        ["spill"] = w => [w.SpillAsync()],
        ["configured"] = w => [w.ConfiguredAsync()],
        ["try-catch"] = w => [w.TryCatchAsync()],
        ["try-finally"] = w => [w.TryFinallyAsync()],
        ["await-in-handlers"] = w => [w.AwaitInHandlersAsync()],
        ["generic"] = w => [w.GenericAsync()],
        ["closures"] = w => [w.ClosuresAsync()],
        ["values"] = w => [w.ValuesAsync()],
        ["two-chains"] = w => [w.LoopAsync(3), w.NestedAsync(2)],
        ["finished-locals"] = w => [w.FinishedLocalsAsync()],
        ["switch-expression"] = w => [w.SwitchExpressionAsync()],
        ["conditionals"] = w => [w.ConditionalsAsync()],
        ["tuples"] = w => [w.TuplesAsync()],
        ["checked"] = w => [w.CheckedAsync()],
        ["nested-finally"] = w => [w.NestedFinallyAsync()],
        ["using-declarations"] = w => [w.UsingDeclarationsAsync()],
        ["mutable-struct"] = w => [w.MutableStructAsync()],
        ["static-local-constraints"] = w => [w.StaticLocalAndConstraintsAsync()],
        ["override"] = w => [w.OverrideAsync()],
        ["interfaces"] = w => [w.InterfacesAsync()],
        ["when-all-results"] = w => [w.WhenAllResultsAsync()],
        ["when-all-list"] = w => [w.WhenAllListAsync()],
        ["when-all-mixed"] = w => [w.WhenAllMixedAsync()],
        ["when-all-methods"] = w => [w.WhenAllMethodsAsync(4)],
        ["when-all-inline"] = w => [w.WhenAllInlineAsync()],
        ["when-any-winner"] = w => [w.WhenAnyWinnerAsync()],
        ["when-any-tasks"] = w => [w.WhenAnyTasksAsync()],
        ["when-any-pending-local"] = w => [w.WhenAnyPendingLocalAsync()],
        ["nested-combinators"] = w => [w.NestedCombinatorsAsync()],
        ["finished-task-shared"] = w => [w.FinishedTaskSharedAsync()],
    };

    // Scenarios whose rebuild needs the owner's fields restored first, as the grain runtime restores them.
    private static readonly Dictionary<string, Func<Workflows, IReadOnlyList<Task>>> OwnerState = new()
    {
        ["owner-field"] = w => [w.OwnerFieldAsync()],
    };

    private static readonly Dictionary<string, Func<Workflows, IReadOnlyList<Task>>> Rejected = new()
    {
        ["unserializable"] = w => [w.UnserializableAsync()],
        ["unserializable-spill"] = w => [w.UnserializableSpillAsync()],
        ["yield"] = w => [w.YieldAsync()],
        ["delay"] = w => [w.DelayAsync()],
        ["custom-awaiter"] = w => [w.CustomAwaiterAsync()],
        ["when-all-delay"] = w => [w.WhenAllDelayAsync()],
        ["await-foreach"] = w => [w.AwaitForeachAsync()],
        ["foreach"] = w => [w.ForeachAsync()],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Scenarios { get; } = Supported.Keys.ToArray();

    /// <inheritdoc />
    public IWorkflowOwner CreateOwner(LeafCalls calls, Journal journal) => new Workflows(calls, journal);

    /// <inheritdoc />
    public IReadOnlyList<Task> Start(string scenario, IWorkflowOwner owner)
    {
        var workflows = (Workflows)owner;
        if (Supported.TryGetValue(scenario, out var start)
            || OwnerState.TryGetValue(scenario, out start)
            || Rejected.TryGetValue(scenario, out start))
        {
            return start(workflows);
        }

        throw new ArgumentException($"Unknown scenario '{scenario}'.", nameof(scenario));
    }
}
