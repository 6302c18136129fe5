namespace Immortals.Orleans.StateMachines;

/// <summary>
/// One stored field or await target of a frame: its kind and an id whose meaning depends on the kind. Completed
/// tasks and enum values also carry the index of a type in the snapshot's type table: the task's result type (-1
/// for a task without a result) or the enum type.
/// </summary>
/// <param name="Kind">What the slot refers to.</param>
/// <param name="Id">Value index, leaf id, frame index, closure index, type index, combinator index or task
/// collection index, per <see cref="Kind"/>.</param>
/// <param name="ResultType">Type-table index of a completed task's result type or of an enum type, or -1.</param>
internal readonly record struct SnapshotSlot(SlotKind Kind, long Id = 0, int ResultType = -1)
{
    /// <summary>A null reference.</summary>
    public static SnapshotSlot Null => new(SlotKind.Null);

    /// <summary>Returns whether the slot refers to a task (of a leaf, a frame, or a completed task).</summary>
    public bool IsTask => Kind is SlotKind.Leaf or SlotKind.Frame or SlotKind.CompletedTask or SlotKind.FaultedTask
        or SlotKind.CanceledTask or SlotKind.Combinator;
}
