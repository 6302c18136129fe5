namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Decoded content of a frame snapshot: the type table, the captured frames and closures, the roots and leaves
/// they refer to, and the Orleans-serialized values of their fields.
/// </summary>
internal sealed class FrameSnapshotModel
{
    /// <summary>Types of frames, closures, lambda caches and task results; slots and records refer to them by index.</summary>
    public List<TypeRecord> Types { get; } = [];

    /// <summary>Captured frames; inner frames may come after the frames that await them.</summary>
    public List<FrameRecord> Frames { get; } = [];

    /// <summary>Captured closure instances.</summary>
    public List<ClosureRecord> Closures { get; } = [];

    /// <summary>Roots by the caller's root id.</summary>
    public List<RootRecord> Roots { get; } = [];

    /// <summary>Leaves that frames await or hold, by the caller's leaf id.</summary>
    public List<LeafRecord> Leaves { get; } = [];

    /// <summary>Tasks of <c>Task.WhenAll</c> and <c>Task.WhenAny</c> that frames await or hold.</summary>
    public List<CombinatorRecord> Combinators { get; } = [];

    /// <summary>Arrays and lists of tasks that frames hold.</summary>
    public List<TaskCollectionRecord> TaskCollections { get; } = [];

    /// <summary>Orleans serialization of one <c>object?[]</c> holding every <see cref="SlotKind.Value"/>.</summary>
    public ReadOnlyMemory<byte> Values { get; set; }

    /// <summary>What a type-table entry describes.</summary>
    public enum TypeKind : byte
    {
        /// <summary>A type known by name, such as a task result type.</summary>
        Plain = 0,

        /// <summary>An async state machine, found through its method.</summary>
        StateMachine = 1,

        /// <summary>A closure class, found by name and checked by its field layout.</summary>
        Closure = 2,

        /// <summary>The lambda cache class <c>&lt;&gt;c</c>, whose singleton is reused.</summary>
        LambdaCache = 3,
    }

    /// <summary>
    /// One entry of the type table. State machines carry their method identity, parameter signature and
    /// generic arguments; state machines and closures carry their fields and fingerprint.
    /// </summary>
    /// <param name="Kind">What the entry describes.</param>
    /// <param name="Type">Type name, for plain, closure and lambda-cache entries.</param>
    /// <param name="Method">Async method, for state machines.</param>
    /// <param name="Signature">Parameter types of the async method, for state machines.</param>
    /// <param name="GenericArguments">Generic arguments of a state machine, from its type and method.</param>
    /// <param name="LayoutHash">Hash of the field layout (16 bytes), or empty.</param>
    /// <param name="IlHash">Hash of <c>MoveNext</c> (16 bytes), or empty.</param>
    /// <param name="FieldNames">All instance fields in declaration order; their types are covered by
    /// <paramref name="LayoutHash"/> only, to keep snapshots small.</param>
    internal sealed record TypeRecord(
        TypeKind Kind,
        TypeReference? Type,
        AsyncMethodIdentity? Method,
        string Signature,
        IReadOnlyList<TypeReference> GenericArguments,
        byte[] LayoutHash,
        byte[] IlHash,
        string[] FieldNames)
    {
        /// <summary>Returns the name used in messages: the method of a state machine, else the type name.</summary>
        public string DisplayName => Method?.ToString() ?? Type?.ToString() ?? "(unknown)";
    }

    /// <summary>One suspended async method.</summary>
    /// <param name="TypeIndex">Type-table index of its state machine.</param>
    /// <param name="State">Value of <c>&lt;&gt;1__state</c>: the await it is suspended at.</param>
    /// <param name="AwaiterIndex">Index of the active awaiter among the <c>&lt;&gt;u__N</c> fields.</param>
    /// <param name="AwaiterOptions"><c>ConfigureAwait</c> options of the active awaiter.</param>
    /// <param name="Awaits">The leaf or frame it awaits.</param>
    /// <param name="Fields">Stored fields, in the order of the state machine's stored fields.</param>
    internal sealed record FrameRecord(
        int TypeIndex,
        int State,
        int AwaiterIndex,
        int AwaiterOptions,
        SnapshotSlot Awaits,
        SnapshotSlot[] Fields);

    /// <summary>One closure instance.</summary>
    /// <param name="TypeIndex">Type-table index of its closure class.</param>
    /// <param name="Fields">All its instance fields in declaration order.</param>
    internal sealed record ClosureRecord(int TypeIndex, SnapshotSlot[] Fields);

    /// <summary>One root: the outermost captured method of a chain.</summary>
    /// <param name="RootId">The caller's id.</param>
    /// <param name="Task">The root's frame, or the outcome of a root that finished before the capture.</param>
    internal sealed record RootRecord(long RootId, SnapshotSlot Task);

    /// <summary>One leaf that a frame awaits or holds.</summary>
    /// <param name="LeafId">The caller's id.</param>
    /// <param name="ResultTypeIndex">Type-table index of the leaf task's result type, or -1 for none.</param>
    internal sealed record LeafRecord(long LeafId, int ResultTypeIndex);

    /// <summary>
    /// One task of a task combinator, rebuilt by calling the combinator again over its rebuilt inputs.
    /// </summary>
    /// <param name="Kind">The combinator.</param>
    /// <param name="ElementTypeIndex">Type-table index of <c>T</c> for <c>WhenAll&lt;T&gt;</c> or of the input task
    /// type for <c>WhenAny</c>, or -1 for <c>WhenAll</c>.</param>
    /// <param name="Inputs">The inputs: the pending ones and, where they change the outcome, the finished ones. A
    /// <c>WhenAny</c> that had completed has one input, its winner.</param>
    internal sealed record CombinatorRecord(TaskCombinatorKind Kind, int ElementTypeIndex, SnapshotSlot[] Inputs);

    /// <summary>One array or list of tasks, rebuilt as a new collection of the rebuilt tasks.</summary>
    /// <param name="Kind">Array or list.</param>
    /// <param name="ElementTypeIndex">Type-table index of the element type (<c>Task</c> or <c>Task&lt;T&gt;</c>).</param>
    /// <param name="Items">The elements in order.</param>
    internal sealed record TaskCollectionRecord(TaskCollectionKind Kind, int ElementTypeIndex, SnapshotSlot[] Items);
}
