namespace Immortals.Orleans.StateMachines;

/// <summary>
/// What a stored field or an await of a frame refers to.
/// </summary>
internal enum SlotKind : byte
{
    /// <summary>A null reference.</summary>
    Null = 0,

    /// <summary>A value serialized with the Orleans serializer; the id is its index in the value array.</summary>
    Value = 1,

    /// <summary>The owner object (<c>this</c> of the grain), rebound to the new owner on rebuild.</summary>
    Owner = 2,

    /// <summary>The task of a leaf; the id is the caller's leaf id.</summary>
    Leaf = 3,

    /// <summary>The task of another captured frame; the id is the frame's index.</summary>
    Frame = 4,

    /// <summary>A compiler-generated closure instance; the id is the closure's index.</summary>
    Closure = 5,

    /// <summary>The singleton of a lambda cache class; the id is the index of its type.</summary>
    LambdaCache = 6,

    /// <summary>A task that had run to completion; the id is the index of its result in the value array.</summary>
    CompletedTask = 7,

    /// <summary>A faulted task; the id is the index of its exception array in the value array.</summary>
    FaultedTask = 8,

    /// <summary>A canceled task.</summary>
    CanceledTask = 9,

    /// <summary>
    /// A boxed enum value; the id is the index of its underlying integer in the value array. The Orleans serializer
    /// writes an enum without a codec of its own as its underlying integer, which would lose the enum type in a
    /// field of type <see cref="object"/>.
    /// </summary>
    Enum = 10,

    /// <summary>
    /// An object held by an instance field of the owner, read from the new owner's field on rebuild; the id is the
    /// index of the field's key (<see cref="OwnerFields"/>) in the value array.
    /// </summary>
    OwnerField = 11,

    /// <summary>
    /// The default value of a struct that is not a primitive or an enum, such as the enumerator of a foreach loop
    /// that has not started or has finished; recreated as the default value of the field's type.
    /// </summary>
    DefaultStruct = 12,

    /// <summary>
    /// The task of <c>Task.WhenAll</c> or <c>Task.WhenAny</c>; the id is the index of its record among the
    /// snapshot's combinators.
    /// </summary>
    Combinator = 13,

    /// <summary>An array or list of tasks; the id is the index of its record among the snapshot's task collections.</summary>
    TaskCollection = 14,

    /// <summary>
    /// A <see cref="System.Threading.CancellationToken"/> given to the capture as the token of a root; the id is
    /// that root's id, and the rebuild asks the caller for the new token of that root.
    /// </summary>
    CancellationToken = 15,
}
