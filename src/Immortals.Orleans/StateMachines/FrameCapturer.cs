using System.Reflection;
using System.Runtime.CompilerServices;
using Orleans.Serialization;
using static Immortals.Orleans.StateMachines.FrameSnapshotModel;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Captures the suspended async methods of one request into a snapshot model. One instance serves one capture.
/// </summary>
/// <remarks>
/// The walk goes top-down: from each root through the active awaiter of every frame to the task it awaits,
/// until it reaches a leaf. Tasks held in fields are resolved the same way, so a task that a method started but
/// has not awaited yet still refers to its leaf or frame. Every value that is not a task, the owner or a closure
/// goes into one array that the Orleans serializer writes in one session, which keeps shared references shared.
/// </remarks>
internal sealed class FrameCapturer
{
    private readonly FrameCaptureRequest _request;
    private readonly Serializer _serializer;
    private readonly FrameSnapshotModel _model = new();
    private readonly Dictionary<Task, long> _leafByTask;
    private readonly Dictionary<long, int> _leafRecordById = [];
    private readonly Dictionary<Task, int> _frameByTask = [];
    private readonly Dictionary<object, int> _closureByInstance = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Task, int> _combinatorByTask = [];
    private readonly Dictionary<object, int> _taskCollectionByInstance = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Task, SnapshotSlot> _finishedByTask = [];
    private Dictionary<Task, List<Task>>? _inputsByPromise;
    private readonly Dictionary<Task, int> _heldTaskOrder = [];
    private readonly Dictionary<(TypeKind Kind, Type Type), int> _typeIndex = [];
    private readonly List<object?> _values = [];
    private readonly List<ValueOrigin> _valueOrigins = [];
    private Dictionary<object, string>? _ownerFields;

    public FrameCapturer(FrameCaptureRequest request, Serializer serializer)
    {
        _request = request;
        _serializer = serializer;
        _leafByTask = new Dictionary<Task, long>(request.Leaves);
    }

    /// <summary>Captures every root; throws <see cref="FrameCaptureException"/> when one cannot be captured.</summary>
    public FrameSnapshotModel Capture()
    {
        // Owner values take the first indices, so a rebuild hands them back by position.
        foreach (var value in _request.OwnerValues)
        {
            AddValue(value, new ValueOrigin("owner", "owner state", value?.GetType() ?? typeof(object)));
        }

        foreach (var (rootId, task) in _request.Roots)
        {
            // A root that finished before the capture keeps its outcome.
            var slot = task.IsCompleted
                ? EncodeCompletedTask(task, new ValueOrigin($"root {rootId}", "result", task.GetType()))
                : new SnapshotSlot(SlotKind.Frame, CaptureFrame(task, () => $"root {rootId}"));
            _model.Roots.Add(new RootRecord(rootId, slot));
        }

        _model.Values = SerializeValues();
        return _model;
    }

    private int CaptureFrame(Task task, Func<string> describeHolder)
    {
        if (_frameByTask.TryGetValue(task, out var known))
        {
            return known;
        }

        if (task.IsCompleted)
        {
            throw new FrameCaptureException(
                FrameCaptureFailure.NotSuspended,
                describeHolder(),
                null,
                task.GetType().FullName,
                $"Cannot capture {describeHolder()}: its task has finished.");
        }

        var machine = AsyncRuntimeLayout.GetStateMachine(task) ?? throw NoStateMachine(task, describeHolder());
        var layout = StateMachineLayout.For(machine.GetType());
        var method = layout.DisplayName;
        if (!layout.IsSupportedBuilder)
        {
            throw new FrameCaptureException(
                FrameCaptureFailure.NoCompilerStateMachine,
                method,
                null,
                layout.BuilderField?.FieldType.FullName,
                $"Cannot capture {method}: its method builder {layout.BuilderField?.FieldType} is not supported. "
                + "Only methods returning Task, Task<T>, ValueTask or ValueTask<T> with the default builders can be captured.");
        }

        var state = layout.GetState(machine);
        if (state < 0)
        {
            throw new FrameCaptureException(
                FrameCaptureFailure.NotSuspended,
                method,
                null,
                null,
                $"Cannot capture {method}: it is {(state == -2 ? "finished" : "running")} (state {state}), not suspended "
                + "at an await. Capture after the turn that ran it, on the owner's scheduler.");
        }

        var index = _model.Frames.Count;
        _model.Frames.Add(null!);
        _frameByTask.Add(task, index);

        var typeIndex = AddStateMachineType(layout);
        NoteHeldTasks(layout, machine);
        var (awaiterIndex, awaited, options) = FindActiveAwaiter(layout, machine, state);
        var awaits = ResolveAwaited(awaited, layout, awaiterIndex);

        var fields = new SnapshotSlot[layout.StoredFields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = layout.StoredFields[i];
            fields[i] = EncodeField(field.GetValue(machine), new ValueOrigin(method, field.Name, field.FieldType));
        }

        _model.Frames[index] = new FrameRecord(typeIndex, state, awaiterIndex, options, awaits, fields);
        return index;
    }

    private static (int Index, Task Awaited, int Options) FindActiveAwaiter(StateMachineLayout layout, object machine, int state)
    {
        FieldInfo? unsupported = null;
        for (var i = 0; i < layout.AwaiterFields.Length; i++)
        {
            var field = layout.AwaiterFields[i];
            var shape = AwaiterShape.For(field.FieldType);
            var awaiter = field.GetValue(machine);
            if (shape is null)
            {
                // A struct awaiter without fields (such as YieldAwaiter) looks the same active or not, so an
                // unsupported awaiter type is reported when no supported awaiter is active.
                if (unsupported is null || awaiter is not null && !field.FieldType.IsValueType)
                {
                    unsupported = field;
                }

                continue;
            }

            switch (shape.GetAwaited(awaiter!))
            {
                case null:
                    continue;
                case Task task:
                    return (i, task, shape.GetOptions(awaiter!));
                case var source:
                    throw UnsupportedAwaiter(
                        layout,
                        field,
                        source.GetType(),
                        $"it awaits a value task backed by {source.GetType()} (an IValueTaskSource), not by a task");
            }
        }

        if (unsupported is not null)
        {
            throw UnsupportedAwaiter(layout, unsupported, unsupported.FieldType, $"it is suspended on {unsupported.FieldType}");
        }

        var method = layout.DisplayName;
        throw new FrameCaptureException(
            FrameCaptureFailure.UnsupportedAwaiter,
            method,
            null,
            null,
            $"Cannot capture {method}: it is suspended at state {state} but none of its awaiters is active.");
    }

    private SnapshotSlot ResolveAwaited(Task awaited, StateMachineLayout awaiting, int awaiterIndex)
    {
        if (_leafByTask.TryGetValue(awaited, out var leafId))
        {
            return LeafSlot(leafId, awaited);
        }

        if (awaited.IsCompleted)
        {
            // The awaited task completed and the frame's continuation is queued but has not run yet.
            return EncodeCompletedTask(awaited, new ValueOrigin(awaiting.DisplayName, "await", awaited.GetType()));
        }

        if (AsyncRuntimeLayout.IsStateMachineBox(awaited))
        {
            switch (Classify(awaited))
            {
                case FrameRole.Capture:
                    return new SnapshotSlot(SlotKind.Frame, CaptureFrame(awaited, () => awaiting.DisplayName));
                case FrameRole.PassThrough:
                    return LeafSlot(ResolvePassThrough(awaited, awaiting.DisplayName), awaited);
            }
        }

        if (TaskCombinators.KindOf(awaited) is { } combinator)
        {
            return EncodePromise(awaited, combinator, new ValueOrigin(awaiting.DisplayName, "await", awaited.GetType()));
        }

        var field = awaiting.AwaiterFields[awaiterIndex];
        throw UnsupportedAwaiter(
            awaiting,
            field,
            awaited.GetType(),
            $"it awaits a {awaited.GetType()} that is neither a registered leaf nor the task of an async method "
            + "(for example a Task.Delay or Task.Yield task)");
    }

    /// <summary>
    /// Follows a pass-through frame down to the leaf it awaits and records the frame's task as another task of
    /// that leaf.
    /// </summary>
    private long ResolvePassThrough(Task box, string holder)
    {
        var machine = AsyncRuntimeLayout.GetStateMachine(box)!;
        var layout = StateMachineLayout.For(machine.GetType());
        var state = layout.GetState(machine);
        var (awaiterIndex, awaited, _) = FindActiveAwaiter(layout, machine, state);
        long leafId;
        if (_leafByTask.TryGetValue(awaited, out var found))
        {
            leafId = found;
        }
        else if (AsyncRuntimeLayout.IsStateMachineBox(awaited) && Classify(awaited) != FrameRole.Boundary)
        {
            leafId = ResolvePassThrough(awaited, holder);
        }
        else
        {
            throw UnsupportedAwaiter(
                layout,
                layout.AwaiterFields[awaiterIndex],
                awaited.GetType(),
                $"this pass-through frame (below {holder}) awaits a {awaited.GetType()} that is not a registered leaf");
        }

        _leafByTask[box] = leafId;
        return leafId;
    }

    private FrameRole Classify(Task box)
    {
        if (_request.Classify is null)
        {
            return FrameRole.Capture;
        }

        var machineType = AsyncRuntimeLayout.GetStateMachine(box)!.GetType();
        return _request.Classify(StateMachineLayout.For(machineType).Identity);
    }

    private SnapshotSlot EncodeField(object? value, ValueOrigin origin)
    {
        switch (value)
        {
            case null:
                return SnapshotSlot.Null;
            case var owner when _request.Owner is not null && ReferenceEquals(owner, _request.Owner):
                return new SnapshotSlot(SlotKind.Owner);
            case Task task:
                return EncodeTask(task, origin);
            case CancellationToken token when token.CanBeCanceled:
                return EncodeCancellationToken(token, origin);
            case Delegate:
                throw Unserializable(origin, value.GetType(), "delegates cannot be stored; call the delegate before the await or keep it in a field of the owner");
        }

        var type = value.GetType();
        if (IsDefaultStruct(value, type, origin))
        {
            return new SnapshotSlot(SlotKind.DefaultStruct);
        }

        if (type.IsEnum)
        {
            var underlying = Convert.ChangeType(value, Enum.GetUnderlyingType(type), System.Globalization.CultureInfo.InvariantCulture);
            return new SnapshotSlot(SlotKind.Enum, AddValue(underlying, origin), AddType(TypeKind.Plain, type));
        }

        if (TaskShape.IsValueTask(type))
        {
            return EncodeValueTask(value, origin);
        }

        if (CompilerNames.IsClosureType(type))
        {
            if (type.Name == CompilerNames.LambdaCacheClass)
            {
                return new SnapshotSlot(SlotKind.LambdaCache, AddType(TypeKind.LambdaCache, type));
            }

            if (type.IsValueType)
            {
                throw Unserializable(origin, type, "closures of value type are not supported");
            }

            return new SnapshotSlot(SlotKind.Closure, CaptureClosure(value, origin));
        }

        if (TaskCollectionShape(type) is { } collection)
        {
            return new SnapshotSlot(SlotKind.TaskCollection, CaptureTaskCollection(value, collection.Kind, collection.Element, origin));
        }

        if (_request.Owner is not null)
        {
            _ownerFields ??= OwnerFields.Index(_request.Owner);
            if (_ownerFields.TryGetValue(value, out var fieldKey))
            {
                return new SnapshotSlot(SlotKind.OwnerField, AddValue(fieldKey, origin));
            }
        }

        return new SnapshotSlot(SlotKind.Value, AddValue(value, origin));
    }

    // A struct field at its default value needs no codec: the enumerator of a foreach loop that is not running is
    // kept zeroed in the state machine, and storing it must not fail the capture of the whole method.
    private static bool IsDefaultStruct(object value, Type type, ValueOrigin origin) =>
        type.IsValueType
        && !type.IsPrimitive
        && !type.IsEnum
        && type == origin.DeclaredType
        && Nullable.GetUnderlyingType(type) is null
        && value.Equals(RuntimeHelpers.GetUninitializedObject(type));

    private SnapshotSlot EncodeCancellationToken(CancellationToken token, ValueOrigin origin)
    {
        if (_request.CancellationTokens.TryGetValue(token, out var rootId))
        {
            return new SnapshotSlot(SlotKind.CancellationToken, rootId);
        }

        throw Unserializable(
            origin,
            typeof(CancellationToken),
            "only a cancellation token registered with the capture (the token an immortal grain method received as "
            + "its parameter) can be kept across an await; a token of a CancellationTokenSource created by the code "
            + "cannot be rebuilt");
    }

    private SnapshotSlot EncodeTask(Task task, ValueOrigin origin)
    {
        if (_leafByTask.TryGetValue(task, out var leafId))
        {
            return LeafSlot(leafId, task);
        }

        if (task.IsCompleted)
        {
            return EncodeCompletedTask(task, origin);
        }

        if (AsyncRuntimeLayout.IsStateMachineBox(task))
        {
            switch (Classify(task))
            {
                case FrameRole.Capture:
                    return new SnapshotSlot(SlotKind.Frame, CaptureFrame(task, () => origin.Method));
                case FrameRole.PassThrough:
                    return LeafSlot(ResolvePassThrough(task, origin.Method), task);
            }
        }

        if (TaskCombinators.KindOf(task) is { } combinator)
        {
            return EncodePromise(task, combinator, origin);
        }

        throw Unserializable(
            origin,
            task.GetType(),
            "it contains a pending task that is neither a registered leaf nor the task of a captured async method");
    }

    private SnapshotSlot EncodeValueTask(object valueTask, ValueOrigin origin)
    {
        switch (AsyncRuntimeLayout.GetValueTaskObject(valueTask))
        {
            case Task task:
                return EncodeTask(task, origin);
            case null:
                var resultType = TaskShape.GetResultType(valueTask.GetType());
                var result = resultType is null ? null : AsyncRuntimeLayout.GetAwaiterField(valueTask, AsyncRuntimeLayout.ValueTaskResultField);
                return new SnapshotSlot(
                    SlotKind.CompletedTask,
                    AddValue(result, origin),
                    resultType is null ? -1 : AddType(TypeKind.Plain, resultType));
            case var source:
                throw Unserializable(origin, source.GetType(), "it contains a value task backed by an IValueTaskSource, not by a task");
        }
    }

    /// <summary>
    /// Encodes a finished task. One task held in several places is stored once, so the rebuilt places share one
    /// rebuilt task, as a list of tasks and the winner of a <c>Task.WhenAny</c> over it do.
    /// </summary>
    private SnapshotSlot EncodeCompletedTask(Task task, ValueOrigin origin)
    {
        if (_finishedByTask.TryGetValue(task, out var known))
        {
            return known;
        }

        var slot = EncodeFinishedOutcome(task, origin);
        _finishedByTask[task] = slot;
        return slot;
    }

    private SnapshotSlot EncodeFinishedOutcome(Task task, ValueOrigin origin)
    {
        var resultType = TaskShape.GetResultType(task.GetType());
        var resultTypeIndex = resultType is null ? -1 : AddType(TypeKind.Plain, resultType);
        if (task.IsCanceled)
        {
            return new SnapshotSlot(SlotKind.CanceledTask, 0, resultTypeIndex);
        }

        if (task.IsFaulted)
        {
            var exceptions = task.Exception!.InnerExceptions.ToArray();
            return new SnapshotSlot(SlotKind.FaultedTask, AddValue(exceptions, origin), resultTypeIndex);
        }

        var result = TaskShape.GetResult(task);
        if (result is Task winner && IsTaskType(resultType!))
        {
            // A finished Task.WhenAny: its result is the winning task, which is stored as a task (leaf, frame or
            // outcome) and rebuilt as Task.WhenAny over the rebuilt winner alone.
            var index = ReserveCombinator();
            _model.Combinators[index] = new CombinatorRecord(
                TaskCombinatorKind.WhenAny,
                AddType(TypeKind.Plain, resultType!),
                [EncodeTask(winner, origin)]);
            return new SnapshotSlot(SlotKind.Combinator, index);
        }

        return new SnapshotSlot(SlotKind.CompletedTask, AddValue(result, origin), resultTypeIndex);
    }

    /// <summary>
    /// Encodes the pending task of <c>Task.WhenAll</c> or <c>Task.WhenAny</c> as the combinator over its encoded
    /// inputs, or a finished one as its outcome.
    /// </summary>
    private SnapshotSlot EncodePromise(Task promise, TaskCombinatorKind kind, ValueOrigin origin)
    {
        if (_combinatorByTask.TryGetValue(promise, out var known))
        {
            return new SnapshotSlot(SlotKind.Combinator, known);
        }

        var inputs = kind == TaskCombinatorKind.WhenAll
            ? FindWhenAllInputs(promise, origin)
            : ReadCombinatorInputs(promise, kind, origin);
        if (inputs is null)
        {
            // The promise completed while its inputs were read.
            return EncodeCompletedTask(promise, origin);
        }

        var elementType = TaskCombinators.ElementType(promise, kind);
        var index = ReserveCombinator();
        _combinatorByTask.Add(promise, index);
        var inputOrigin = origin with { FieldName = origin.FieldName + " (input of Task." + (kind == TaskCombinatorKind.WhenAny ? "WhenAny)" : "WhenAll)") };
        var slots = new SnapshotSlot[inputs.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = EncodeTask(inputs[i], inputOrigin);
        }

        _model.Combinators[index] = new CombinatorRecord(
            kind,
            elementType is null ? -1 : AddType(TypeKind.Plain, elementType),
            slots);
        return new SnapshotSlot(SlotKind.Combinator, index);
    }

    /// <summary>Reserves the index of a combinator, so that inputs encoded after it get later indices.</summary>
    private int ReserveCombinator()
    {
        _model.Combinators.Add(null!);
        return _model.Combinators.Count - 1;
    }

    private static IReadOnlyList<Task>? ReadCombinatorInputs(Task promise, TaskCombinatorKind kind, ValueOrigin origin)
    {
        var inputs = TaskCombinators.ReadInputs(promise, kind);
        if (promise.IsCompleted)
        {
            return null;
        }

        if (inputs is null)
        {
            // The promise clears its inputs when it starts to complete, which a completed input may do on a
            // thread-pool thread. Waiting here would block the owner's scheduler, so the caller retries later.
            throw new FrameCaptureDeferredException(new FrameCaptureException(
                FrameCaptureFailure.UnsupportedAwaiter,
                origin.Method,
                CompilerNames.GetSourceName(origin.FieldName),
                promise.GetType().FullName,
                $"Cannot capture {origin.Method}: its Task.{kind} is completing on another thread."));
        }

        return inputs;
    }

    /// <summary>
    /// Finds the inputs of a pending <c>Task.WhenAll</c> promise, which keeps no list of them: the pending inputs
    /// are the tasks that have the promise among their continuations, found upward from the leaves and from the
    /// tasks that captured frames hold, and the failed inputs are kept by the promise. Inputs that completed
    /// successfully are left out, because they do not change its outcome.
    /// </summary>
    /// <exception cref="FrameCaptureDeferredException">Fewer inputs were found than the promise waits for.</exception>
    private List<Task>? FindWhenAllInputs(Task promise, ValueOrigin origin)
    {
        var pending = WaitingInputs(promise);
        var remaining = TaskCombinators.ReadRemaining(promise);
        var failed = TaskCombinators.ReadFailedInputs(promise);
        if (promise.IsCompleted)
        {
            return null;
        }

        if (pending.Count != remaining)
        {
            // An input completed and the continuation that takes it off the count has not run. That is either the
            // promise's own, queued to the thread pool, or that of an async method in between, queued on the
            // owner's scheduler, where it cannot run while this capture runs. A task that is reachable from nothing
            // but the promise, such as a Task.Delay passed to Task.WhenAll directly, also ends here until the
            // caller's retries run out.
            throw new FrameCaptureDeferredException(new FrameCaptureException(
                FrameCaptureFailure.UnsupportedAwaiter,
                origin.Method,
                CompilerNames.GetSourceName(origin.FieldName),
                promise.GetType().FullName,
                $"Cannot capture {origin.Method}: a Task.WhenAll waits for {remaining} tasks, and only {pending.Count} "
                + "of them lead to a call or to a captured async method. Task.WhenAll can be captured only over calls "
                + "and async methods that make calls; move Task.Delay, Task.Yield and other tasks out of it."));
        }

        // A local that holds the inputs gives their order, which decides the order of the failures a rebuilt
        // Task.WhenAll reports. Inputs that no local holds keep the order in which they were found, after the rest.
        List<Task> inputs = [.. pending, .. failed];
        return [.. inputs.Select((task, found) => (task, found))
            .OrderBy(input => _heldTaskOrder.TryGetValue(input.task, out var held) ? held : int.MaxValue)
            .ThenBy(input => input.found)
            .Select(input => input.task)];
    }

    /// <summary>
    /// Returns the pending tasks that have <paramref name="promise"/> among their continuations, found upward from
    /// the leaves and from the tasks held by the frames captured so far.
    /// </summary>
    private List<Task> WaitingInputs(Task promise)
    {
        if (_inputsByPromise is null)
        {
            _inputsByPromise = [];
            var visited = new HashSet<Task>();
            var queue = new Queue<Task>(_request.Leaves.Keys.Concat(_heldTaskOrder.Keys));
            while (queue.TryDequeue(out var task))
            {
                if (!visited.Add(task) || task.IsCompleted)
                {
                    continue;
                }

                foreach (var waiting in AsyncRuntimeLayout.GetWaitingPromises(task))
                {
                    if (!_inputsByPromise.TryGetValue(waiting, out var inputs))
                    {
                        _inputsByPromise.Add(waiting, inputs = []);
                    }

                    inputs.Add(task);
                    queue.Enqueue(waiting);
                }

                foreach (var box in AsyncRuntimeLayout.GetAwaitingBoxes(task))
                {
                    queue.Enqueue(box);
                }
            }
        }

        return _inputsByPromise.TryGetValue(promise, out var found) ? [.. found] : [];
    }

    /// <summary>
    /// Notes the tasks that a frame holds in its locals, directly or in an array or list of tasks. A pending async
    /// method whose awaited call has completed is reachable from no pending leaf until its continuation runs, but
    /// it is still reachable from such a local.
    /// </summary>
    private void NoteHeldTasks(StateMachineLayout layout, object machine)
    {
        foreach (var field in layout.StoredFields)
        {
            switch (field.GetValue(machine))
            {
                case Task task:
                    NoteHeldTask(task);
                    break;
                case var value when value is not null && TaskCollectionShape(value.GetType()) is not null:
                    foreach (var item in (System.Collections.IList)value)
                    {
                        if (item is Task task)
                        {
                            NoteHeldTask(task);
                        }
                    }

                    break;
            }
        }
    }

    private void NoteHeldTask(Task task)
    {
        if (_heldTaskOrder.TryAdd(task, _heldTaskOrder.Count))
        {
            _inputsByPromise = null;
        }
    }

    private int CaptureTaskCollection(object collection, TaskCollectionKind kind, Type elementType, ValueOrigin origin)
    {
        if (_taskCollectionByInstance.TryGetValue(collection, out var known))
        {
            return known;
        }

        var index = _model.TaskCollections.Count;
        _model.TaskCollections.Add(null!);
        _taskCollectionByInstance.Add(collection, index);
        var items = ((System.Collections.IList)collection).Cast<Task?>().ToArray();
        var slots = new SnapshotSlot[items.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = items[i] is { } task ? EncodeTask(task, origin) : SnapshotSlot.Null;
        }

        _model.TaskCollections[index] = new TaskCollectionRecord(kind, AddType(TypeKind.Plain, elementType), slots);
        return index;
    }

    /// <summary>
    /// Returns the kind and element type of an array or list of <see cref="Task"/> or <see cref="Task{TResult}"/>,
    /// or <see langword="null"/> for any other type.
    /// </summary>
    private static (TaskCollectionKind Kind, Type Element)? TaskCollectionShape(Type type)
    {
        if (type.IsSZArray && IsTaskType(type.GetElementType()!))
        {
            return (TaskCollectionKind.Array, type.GetElementType()!);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsTaskType(type.GetGenericArguments()[0]))
        {
            return (TaskCollectionKind.List, type.GetGenericArguments()[0]);
        }

        return null;
    }

    private static bool IsTaskType(Type type) =>
        type == typeof(Task) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>));

    private int CaptureClosure(object closure, ValueOrigin origin)
    {
        if (_closureByInstance.TryGetValue(closure, out var known))
        {
            return known;
        }

        var index = _model.Closures.Count;
        _model.Closures.Add(null!);
        _closureByInstance.Add(closure, index);

        var type = closure.GetType();
        var typeIndex = AddType(TypeKind.Closure, type);
        var layout = FieldLayout.Of(type);
        var fields = new SnapshotSlot[layout.All.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = layout.All[i];
            fields[i] = EncodeField(field.GetValue(closure), new ValueOrigin(origin.Method, field.Name, field.FieldType));
        }

        _model.Closures[index] = new ClosureRecord(typeIndex, fields);
        return index;
    }

    private SnapshotSlot LeafSlot(long leafId, Task task)
    {
        if (!_leafRecordById.ContainsKey(leafId))
        {
            var resultType = TaskShape.GetResultType(task.GetType());
            _leafRecordById.Add(leafId, _model.Leaves.Count);
            _model.Leaves.Add(new LeafRecord(leafId, resultType is null ? -1 : AddType(TypeKind.Plain, resultType)));
        }

        return new SnapshotSlot(SlotKind.Leaf, leafId);
    }

    private int AddStateMachineType(StateMachineLayout layout)
    {
        if (_typeIndex.TryGetValue((TypeKind.StateMachine, layout.Type), out var index))
        {
            return index;
        }

        var arguments = layout.Type.IsGenericType
            ? layout.Type.GetGenericArguments().Select(TypeReference.From).ToArray()
            : [];
        return AddTypeRecord(
            TypeKind.StateMachine,
            layout.Type,
            new TypeRecord(
                TypeKind.StateMachine,
                null,
                layout.Identity,
                layout.MethodSignature,
                arguments,
                layout.Fields.Hash,
                layout.IlHash,
                layout.Fields.Names));
    }

    private int AddType(TypeKind kind, Type type)
    {
        if (_typeIndex.TryGetValue((kind, type), out var index))
        {
            return index;
        }

        var layout = kind == TypeKind.Closure ? FieldLayout.Of(type) : null;
        return AddTypeRecord(
            kind,
            type,
            new TypeRecord(
                kind,
                TypeReference.From(type),
                null,
                string.Empty,
                [],
                layout?.Hash ?? [],
                [],
                layout?.Names ?? []));
    }

    private int AddTypeRecord(TypeKind kind, Type type, TypeRecord record)
    {
        var index = _model.Types.Count;
        _model.Types.Add(record);
        _typeIndex.Add((kind, type), index);
        return index;
    }

    private int AddValue(object? value, ValueOrigin origin)
    {
        _values.Add(value);
        _valueOrigins.Add(origin);
        return _values.Count - 1;
    }

    private byte[] SerializeValues()
    {
        var values = _values.ToArray();
        try
        {
            return _serializer.SerializeToArray(values);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Find the value at fault, so the message can name its method and local.
            for (var i = 0; i < values.Length; i++)
            {
                try
                {
                    _serializer.SerializeToArray(values[i]);
                }
                catch (Exception inner) when (inner is not OutOfMemoryException)
                {
                    throw Unserializable(_valueOrigins[i], values[i]!.GetType(), inner.Message, inner);
                }
            }

            throw new FrameCaptureException(
                FrameCaptureFailure.UnserializableLocal,
                _valueOrigins.Count > 0 ? _valueOrigins[0].Method : "(none)",
                null,
                null,
                "Cannot serialize the captured values: " + exception.Message,
                exception);
        }
    }

    private static FrameCaptureException NoStateMachine(Task task, string holder)
    {
        var reason = AsyncRuntimeLayout.IsRuntimeAsyncTask(task)
            ? "it is the task of a method the runtime ran as runtime-implemented async (MethodImplAttributes.Async)"
            : "it is not the task of a compiler-generated async state machine; either the method is not an async "
                + "method, or the runtime ran it as runtime-implemented async (MethodImplAttributes.Async)";
        return new FrameCaptureException(
            FrameCaptureFailure.NoCompilerStateMachine,
            holder,
            null,
            task.GetType().FullName,
            $"Cannot capture {holder}: {reason}. Runtime-implemented async keeps no state machine to capture; build "
            + $"the method without the 'runtime-async' compiler feature. The task is a {task.GetType()}.");
    }

    private static FrameCaptureException UnsupportedAwaiter(StateMachineLayout layout, FieldInfo awaiterField, Type type, string reason)
    {
        var method = layout.DisplayName;
        return new FrameCaptureException(
            FrameCaptureFailure.UnsupportedAwaiter,
            method,
            awaiterField.Name,
            type.FullName,
            $"Cannot capture {method}: {reason} (awaiter {awaiterField.Name} of type {awaiterField.FieldType}). "
            + "Only awaits of Task, Task<T>, ValueTask and ValueTask<T> that lead to a call or to another captured "
            + "async method, or Task.WhenAll and Task.WhenAny over such tasks, can be captured; move Task.Yield, "
            + "Task.Delay and custom awaiters out of methods that must survive a failure.");
    }

    private static FrameCaptureException Unserializable(ValueOrigin origin, Type type, string reason, Exception? inner = null)
    {
        var local = CompilerNames.GetSourceName(origin.FieldName);
        if (CompilerNames.IsSpillField(origin.FieldName) && typeof(System.Collections.IEnumerator).IsAssignableFrom(type))
        {
            // NOTE: enumerators of foreach loops are never stored, so a foreach over a collection other than an
            // array cannot be captured while an await inside its body is pending.
            return new FrameCaptureException(
                FrameCaptureFailure.UnserializableLocal,
                origin.Method,
                local,
                type.FullName,
                $"Cannot capture {origin.Method}: a foreach loop is suspended at an await inside its body, and its "
                + $"enumerator (field '{local}', a {type}) cannot be stored ({reason}). Loop with for over an index "
                + "or over an array instead, for example 'foreach (var item in list.ToArray())'.",
                inner);
        }

        if (CompilerNames.IsSpillField(origin.FieldName))
        {
            return new FrameCaptureException(
                FrameCaptureFailure.UnserializableLocal,
                origin.Method,
                local,
                type.FullName,
                $"Cannot capture {origin.Method}: a temporary value that the compiler keeps across an await (field "
                + $"'{local}') holds a {type} that cannot be stored ({reason}). Such a temporary is the receiver or "
                + "an earlier operand of an expression that contains an await, as in 'list.Add(await CallAsync())'. "
                + "Mark the type with [GenerateSerializer], or await into a local of its own before that expression.",
                inner);
        }

        return new FrameCaptureException(
            FrameCaptureFailure.UnserializableLocal,
            origin.Method,
            local,
            type.FullName,
            $"Cannot capture {origin.Method}: local '{local}' holds a {type} that cannot be stored ({reason}). "
            + "Mark the type with [GenerateSerializer], or end the local's use before the await.",
            inner);
    }

    /// <summary>Where a captured value comes from, for messages.</summary>
    private readonly record struct ValueOrigin(string Method, string FieldName, Type DeclaredType);
}
