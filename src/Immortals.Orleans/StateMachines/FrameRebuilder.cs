using System.Reflection;
using System.Runtime.CompilerServices;
using Orleans.Serialization;
using static Immortals.Orleans.StateMachines.FrameSnapshotModel;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Rebuilds the frames of a snapshot. <see cref="Prepare"/> validates the whole snapshot against the loaded code
/// and constructs nothing; <see cref="Construct"/> then creates the leaves and frames on the target scheduler.
/// </summary>
internal sealed class FrameRebuilder
{
    private readonly FrameSnapshotModel _model;
    private readonly FrameRebuildRequest _request;
    private readonly Type?[] _types;
    private readonly StateMachineLayout?[] _layouts;
    private object?[] _values = [];
    private int[] _frameOrder = [];
    private Task?[] _combinatorTasks = [];
    private object?[] _taskCollections = [];
    private readonly Dictionary<(SlotKind Kind, long Id), Task> _finishedTasks = [];

    private FrameRebuilder(FrameSnapshotModel model, FrameRebuildRequest request)
    {
        _model = model;
        _request = request;
        _types = new Type?[model.Types.Count];
        _layouts = new StateMachineLayout?[model.Types.Count];
    }

    /// <summary>
    /// Decodes and validates a snapshot: every type must resolve with an unchanged fingerprint, every value must
    /// deserialize and fit its field. Throws <see cref="FrameRebuildException"/> otherwise.
    /// </summary>
    public static FrameRebuilder Prepare(ReadOnlyMemory<byte> snapshot, FrameRebuildRequest request, Serializer serializer)
    {
        FrameSnapshotModel model;
        try
        {
            model = FrameSnapshotCodec.Read(snapshot);
        }
        catch (FormatException exception)
        {
            throw new FrameRebuildException(null, [], exception.Message, exception);
        }

        var rebuilder = new FrameRebuilder(model, request);
        try
        {
            rebuilder.ResolveTypes();
            rebuilder.DeserializeValues(serializer);
            rebuilder.ValidateSlots();
            rebuilder.OrderFrames();
        }
        catch (Exception exception) when (exception is not FrameRebuildException and not OutOfMemoryException)
        {
            // The checks above cover the damage they expect. A snapshot damaged in another way must still fail with
            // the documented exception, because callers handle only that one.
            throw new FrameRebuildException(
                null,
                [],
                $"Cannot rebuild the snapshot: it is damaged ({exception.GetType().Name}: {exception.Message}). "
                + "Nothing was rebuilt; restore the checkpoint from a copy that was not damaged.",
                exception);
        }

        return rebuilder;
    }

    /// <summary>
    /// Creates the leaves, then the frames inner first, each awaiting its rebuilt inner task, then fills the
    /// closures. Must run on <see cref="FrameRebuildRequest.Scheduler"/>. Returns each root's new task by root id.
    /// </summary>
    public IReadOnlyDictionary<long, Task> Construct()
    {
        if (_request.RestoreOwnerValues is { } restore)
        {
            var count = _request.OwnerValueCount <= 0
                ? 0
                : CheckIndex(_request.OwnerValueCount - 1, _values.Length, "owner value") + 1;
            restore(_values[..count]);
        }

        var leaves = CreateLeaves();
        _combinatorTasks = new Task?[_model.Combinators.Count];
        _taskCollections = new object?[_model.TaskCollections.Count];
        var closures = new object[_model.Closures.Count];
        for (var i = 0; i < closures.Length; i++)
        {
            closures[i] = RuntimeHelpers.GetUninitializedObject(_types[_model.Closures[i].TypeIndex]!);
        }

        var frames = new Task[_model.Frames.Count];
        foreach (var index in _frameOrder)
        {
            frames[index] = ConstructFrame(_model.Frames[index], leaves, frames, closures);
        }

        for (var i = 0; i < closures.Length; i++)
        {
            var fields = FieldLayout.Of(closures[i].GetType()).All;
            var record = _model.Closures[i];
            for (var f = 0; f < fields.Length; f++)
            {
                fields[f].SetValue(closures[i], Materialize(record.Fields[f], fields[f].FieldType, leaves, frames, closures));
            }
        }

        var roots = new Dictionary<long, Task>(_model.Roots.Count);
        foreach (var root in _model.Roots)
        {
            roots.Add(root.RootId, (Task)Materialize(root.Task, typeof(Task), leaves, frames, closures)!);
        }

        return roots;
    }

    private Task ConstructFrame(FrameRecord record, Dictionary<long, Task> leaves, Task[] frames, object[] closures)
    {
        var layout = _layouts[record.TypeIndex]!;
        var machine = RuntimeHelpers.GetUninitializedObject(layout.Type);
        layout.StateField!.SetValue(machine, record.State);
        for (var i = 0; i < layout.StoredFields.Length; i++)
        {
            var field = layout.StoredFields[i];
            field.SetValue(machine, Materialize(record.Fields[i], field.FieldType, leaves, frames, closures));
        }

        var shape = AwaiterShape.For(layout.AwaiterFields[record.AwaiterIndex].FieldType)!;
        var awaited = (Task)Materialize(record.Awaits, typeof(Task), leaves, frames, closures)!;
        return layout.Suspend(machine, record.AwaiterIndex, shape, awaited, record.AwaiterOptions);
    }

    private object? Materialize(SnapshotSlot slot, Type fieldType, Dictionary<long, Task> leaves, Task[] frames, object[] closures) =>
        slot.Kind switch
        {
            SlotKind.Null => null,
            SlotKind.DefaultStruct => RuntimeHelpers.GetUninitializedObject(fieldType),
            SlotKind.Value => _values[slot.Id],
            SlotKind.Owner => _request.Owner,
            SlotKind.OwnerField => OwnerFields.Find(_request.Owner!.GetType(), (string)_values[slot.Id]!)!.GetValue(_request.Owner),
            SlotKind.Closure => closures[slot.Id],
            SlotKind.LambdaCache => _types[slot.Id]!
                .GetField(CompilerNames.LambdaCacheInstanceField, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!
                .GetValue(null),
            SlotKind.Leaf => TaskShape.ToFieldValue(leaves[slot.Id], fieldType),
            SlotKind.Frame => TaskShape.ToFieldValue(frames[slot.Id], fieldType),
            SlotKind.CompletedTask => TaskShape.ToFieldValue(
                Finished(slot, () => TaskShape.FromResult(ResultType(slot), _values[slot.Id])),
                fieldType),
            SlotKind.FaultedTask => TaskShape.ToFieldValue(
                Finished(slot, () => TaskShape.FromExceptions(ResultType(slot), (Exception[])_values[slot.Id]!)),
                fieldType),
            SlotKind.Combinator => TaskShape.ToFieldValue(MaterializeCombinator((int)slot.Id, leaves, frames, closures), fieldType),
            SlotKind.TaskCollection => MaterializeTaskCollection((int)slot.Id, leaves, frames, closures),
            SlotKind.CanceledTask => TaskShape.ToFieldValue(TaskShape.FromCanceled(ResultType(slot)), fieldType),
            SlotKind.Enum => Enum.ToObject(_types[slot.ResultType]!, _values[slot.Id]!),
            SlotKind.CancellationToken => ResolveCancellationToken(slot.Id),
            _ => throw new InvalidOperationException($"Unknown slot kind {slot.Kind}."),
        };

    /// <summary>Returns the one rebuilt task of a stored finished task, which several fields may share.</summary>
    private Task Finished(SnapshotSlot slot, Func<Task> create)
    {
        if (!_finishedTasks.TryGetValue((slot.Kind, slot.Id), out var task))
        {
            task = create();
            _finishedTasks.Add((slot.Kind, slot.Id), task);
        }

        return task;
    }

    /// <summary>Calls Task.WhenAll or Task.WhenAny again over the rebuilt inputs, once per stored combinator.</summary>
    private Task MaterializeCombinator(int index, Dictionary<long, Task> leaves, Task[] frames, object[] closures)
    {
        if (_combinatorTasks[index] is { } known)
        {
            return known;
        }

        var record = _model.Combinators[index];
        var elementType = record.ElementTypeIndex < 0 ? null : _types[record.ElementTypeIndex];
        var inputType = TaskCombinators.InputType(record.Kind, elementType);
        var inputs = new Task[record.Inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (Task)Materialize(record.Inputs[i], inputType, leaves, frames, closures)!;
        }

        var task = TaskCombinators.Create(record.Kind, elementType, inputs);
        _combinatorTasks[index] = task;
        return task;
    }

    /// <summary>Creates a new array or list of the rebuilt tasks, once per stored collection.</summary>
    private object MaterializeTaskCollection(int index, Dictionary<long, Task> leaves, Task[] frames, object[] closures)
    {
        if (_taskCollections[index] is { } known)
        {
            return known;
        }

        var record = _model.TaskCollections[index];
        var elementType = _types[record.ElementTypeIndex]!;
        var items = record.Items.Select(item => Materialize(item, elementType, leaves, frames, closures)).ToArray();
        System.Collections.IList collection;
        if (record.Kind == TaskCollectionKind.Array)
        {
            collection = Array.CreateInstance(elementType, items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                collection[i] = items[i];
            }
        }
        else
        {
            collection = (System.Collections.IList)Activator.CreateInstance(
                typeof(List<>).MakeGenericType(elementType),
                items.Length)!;
            foreach (var item in items)
            {
                collection.Add(item);
            }
        }

        _taskCollections[index] = collection;
        return collection;
    }

    private Type TaskCollectionType(TaskCollectionRecord record)
    {
        var elementType = _types[CheckIndex(record.ElementTypeIndex, _types.Length, "type")]!;
        return record.Kind switch
        {
            TaskCollectionKind.Array => elementType.MakeArrayType(),
            TaskCollectionKind.List => typeof(List<>).MakeGenericType(elementType),
            _ => throw Damaged($"unknown task collection kind {record.Kind}"),
        };
    }

    private CancellationToken ResolveCancellationToken(long rootId) =>
        _request.ResolveCancellationToken?.Invoke(rootId)
        ?? throw new FrameRebuildException(
            null,
            [],
            $"Cannot rebuild the snapshot: a frame holds the cancellation token of root {rootId}, which the rebuild "
            + "request does not resolve.");

    private void ValidateOwnerField(SnapshotSlot slot, Type fieldType, string method, string field)
    {
        if (_values[CheckIndex(slot.Id, _values.Length, "value")] is not string key)
        {
            throw Damaged($"{method} field {field} refers to a field of the owner without naming it");
        }

        var ownerField = _request.Owner is null ? null : OwnerFields.Find(_request.Owner.GetType(), key);
        if (ownerField is null)
        {
            throw new FrameRebuildException(
                method,
                [$"field {field} refers to the owner's field {key}"],
                $"Cannot rebuild {method}: {CompilerNames.GetSourceName(field)} refers to the object in the owner's "
                + $"field '{OwnerFields.DisplayName(key)}', and the new owner "
                + $"({_request.Owner?.GetType().ToString() ?? "null"}) has no such field.");
        }

        // The declared types are compared, not the field's current value, because a caller may restore the owner's
        // fields after validation, when the owner still contains its constructor's values.
        if (!fieldType.IsAssignableFrom(ownerField.FieldType) && !ownerField.FieldType.IsAssignableFrom(fieldType))
        {
            throw new FrameRebuildException(
                method,
                [$"field {field} is {fieldType}, the owner's field {key} is {ownerField.FieldType}"],
                $"Cannot rebuild {method}: {CompilerNames.GetSourceName(field)} refers to the object in the owner's "
                + $"field '{OwnerFields.DisplayName(key)}', which is now declared as {ownerField.FieldType}.");
        }
    }

    private Type? ResultType(SnapshotSlot slot) => slot.ResultType < 0 ? null : _types[slot.ResultType];

    private Dictionary<long, Task> CreateLeaves()
    {
        var leaves = new Dictionary<long, Task>(_model.Leaves.Count);
        foreach (var leaf in _model.Leaves)
        {
            var resultType = leaf.ResultTypeIndex < 0 ? null : _types[leaf.ResultTypeIndex];
            var task = _request.CreateLeaf(new LeafRequest(leaf.LeafId, resultType));
            if (task is null || !TaskShape.Fits(task, resultType))
            {
                throw new FrameRebuildException(
                    null,
                    [],
                    $"The task created for leaf {leaf.LeafId} is a {task?.GetType().ToString() ?? "null"}; the snapshot "
                    + $"needs a Task<{resultType}>.");
            }

            leaves.Add(leaf.LeafId, task);
        }

        return leaves;
    }

    private void ResolveTypes()
    {
        for (var i = 0; i < _model.Types.Count; i++)
        {
            var record = _model.Types[i];
            if (record.Kind == TypeKind.StateMachine)
            {
                var layout = ResolveStateMachine(record, _request.ResolveAssembly);
                _layouts[i] = layout;
                _types[i] = layout.Type;
                continue;
            }

            var type = record.Type!.Resolve(_request.ResolveAssembly) ?? throw new FrameRebuildException(
                null,
                [$"type {record.Type} not found"],
                $"Cannot rebuild the snapshot: type {record.Type} from assembly '{record.Type.Assembly}' is not loaded "
                + "or no longer exists.");
            if (record.Kind == TypeKind.Closure)
            {
                var differences = CompareFields(record, FieldLayout.Of(type));
                if (differences.Count > 0)
                {
                    throw CodeChanged(record.DisplayName, differences);
                }
            }

            _types[i] = type;
        }
    }

    private static StateMachineLayout ResolveStateMachine(TypeRecord record, Func<string, Assembly?>? resolveAssembly)
    {
        var method = record.Method!.Value;
        var name = method.ToString();
        var declaring = new TypeReference(method.Assembly, method.DeclaringType, [], 0).Resolve(resolveAssembly)
            ?? throw CodeChanged(name, [$"declaring type {method.DeclaringType} not found in assembly '{method.Assembly}'"]);
        var definition = StateMachineLayout.FindStateMachineType(declaring, method.Method, record.Signature)
            ?? throw CodeChanged(name, [$"async method {method.Method}{record.Signature} not found on {method.DeclaringType}"]);

        var arguments = record.GenericArguments.Select(a => a.Resolve(resolveAssembly)).ToArray();
        if (Array.IndexOf(arguments, null) >= 0)
        {
            throw new FrameRebuildException(name, [], $"Cannot rebuild {name}: a generic argument type is not loaded.");
        }

        Type type;
        try
        {
            type = arguments.Length == 0 ? definition : definition.MakeGenericType(arguments!);
        }
        catch (ArgumentException exception)
        {
            throw new FrameRebuildException(name, ["generic parameters changed"], $"Cannot rebuild {name}: {exception.Message}", exception);
        }

        var layout = StateMachineLayout.For(type);
        var differences = CompareFields(record, layout.Fields);
        if (differences.Count == 0 && !layout.IlHash.AsSpan().SequenceEqual(record.IlHash))
        {
            differences.Add(
                "MoveNext body changed: code or awaits were added, removed or edited, so the saved state number may "
                + "point to a different await");
        }

        if (differences.Count > 0)
        {
            throw CodeChanged(name, differences);
        }

        return layout;
    }

    private static List<string> CompareFields(TypeRecord record, FieldLayout current)
    {
        var differences = new List<string>();
        if (current.Hash.AsSpan().SequenceEqual(record.LayoutHash))
        {
            return differences;
        }

        var saved = record.FieldNames.ToHashSet(StringComparer.Ordinal);
        var now = current.Names.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < current.Names.Length; i++)
        {
            if (!saved.Contains(current.Names[i]))
            {
                differences.Add($"field added: {Describe(current.Names[i])} of type {current.TypeNames[i]}");
            }
        }

        foreach (var field in record.FieldNames.Where(f => !now.Contains(f)))
        {
            differences.Add($"field removed: {Describe(field)}");
        }

        if (differences.Count == 0)
        {
            differences.Add(record.FieldNames.SequenceEqual(current.Names)
                ? "field types changed"
                : "field order changed");
        }

        return differences;

        static string Describe(string field)
        {
            var source = CompilerNames.GetSourceName(field);
            return source == field ? field : $"{field} (local '{source}')";
        }
    }

    private void DeserializeValues(Serializer serializer)
    {
        try
        {
            _values = serializer.Deserialize<object?[]>(_model.Values) ?? [];
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new FrameRebuildException(
                null,
                [],
                "Cannot rebuild the snapshot: its values cannot be deserialized: " + exception.Message,
                exception);
        }
    }

    /// <summary>Checks every reference of every slot and that each value fits its field, before anything is built.</summary>
    private void ValidateSlots()
    {
        var leafIds = _model.Leaves.Select(l => l.LeafId).ToHashSet();
        foreach (var frame in _model.Frames)
        {
            var layout = CheckIndex(frame.TypeIndex, _layouts.Length, "type") is var t && _layouts[t] is { } l
                ? l
                : throw Damaged("a frame refers to a type that is not a state machine");
            var name = layout.DisplayName;
            if (frame.Fields.Length != layout.StoredFields.Length || frame.AwaiterIndex >= layout.AwaiterFields.Length
                || AwaiterShape.For(layout.AwaiterFields[frame.AwaiterIndex].FieldType) is null)
            {
                throw Damaged($"the frame of {name} does not match its state machine");
            }

            var shape = AwaiterShape.For(layout.AwaiterFields[frame.AwaiterIndex].FieldType)!;
            ValidateSlot(frame.Awaits, typeof(Task), name, "await", leafIds);
            if (frame.Awaits.Kind == SlotKind.Frame)
            {
                var inner = _layouts[_model.Frames[(int)frame.Awaits.Id].TypeIndex]!;
                if (shape.ResultType is not null && inner.ResultType != shape.ResultType)
                {
                    throw Damaged($"{name} awaits {inner.Identity} with an awaiter of another result type");
                }
            }

            if (frame.Awaits.Kind == SlotKind.Combinator && shape.ResultType is not null
                && StoredResultType(frame.Awaits) != shape.ResultType)
            {
                throw Damaged($"{name} awaits a task combinator with an awaiter of another result type");
            }

            if (frame.Awaits.Kind == SlotKind.Leaf && shape.ResultType is not null)
            {
                var leaf = _model.Leaves.First(l => l.LeafId == frame.Awaits.Id);
                var leafType = leaf.ResultTypeIndex < 0 ? null : _types[CheckIndex(leaf.ResultTypeIndex, _types.Length, "type")];
                if (leafType != shape.ResultType)
                {
                    throw Damaged($"{name} awaits leaf {leaf.LeafId} of result type {leafType?.ToString() ?? "none"} "
                        + $"with an awaiter of result type {shape.ResultType}");
                }
            }

            for (var i = 0; i < frame.Fields.Length; i++)
            {
                var field = layout.StoredFields[i];
                ValidateSlot(frame.Fields[i], field.FieldType, name, field.Name, leafIds);
            }
        }

        ValidateCombinators(leafIds);
        foreach (var closure in _model.Closures)
        {
            var type = _types[CheckIndex(closure.TypeIndex, _types.Length, "type")]!;
            var fields = FieldLayout.Of(type).All;
            if (fields.Length != closure.Fields.Length)
            {
                throw Damaged($"the closure {type} does not match its type");
            }

            for (var i = 0; i < fields.Length; i++)
            {
                ValidateSlot(closure.Fields[i], fields[i].FieldType, type.ToString(), fields[i].Name, leafIds);
            }
        }

        foreach (var root in _model.Roots)
        {
            if (!root.Task.IsTask || root.Task.Kind == SlotKind.Leaf)
            {
                throw Damaged($"root {root.RootId} is neither a frame nor a finished task");
            }

            ValidateSlot(root.Task, typeof(Task), $"root {root.RootId}", "task", leafIds);
        }
    }

    private void ValidateCombinators(HashSet<long> leafIds)
    {
        foreach (var combinator in _model.Combinators)
        {
            var element = combinator.ElementTypeIndex < 0
                ? null
                : _types[CheckIndex(combinator.ElementTypeIndex, _types.Length, "type")];
            var valid = combinator.Kind switch
            {
                TaskCombinatorKind.WhenAll => element is null,
                TaskCombinatorKind.WhenAllResults => element is not null,
                TaskCombinatorKind.WhenAny => element is not null
                    && (element == typeof(Task) || (element.IsGenericType && element.GetGenericTypeDefinition() == typeof(Task<>))),
                _ => false,
            };
            if (!valid || combinator.Inputs.Length == 0 && combinator.Kind == TaskCombinatorKind.WhenAny)
            {
                throw Damaged($"a Task.{combinator.Kind} record has an invalid element type or no inputs");
            }

            var inputType = TaskCombinators.InputType(combinator.Kind, element);
            foreach (var input in combinator.Inputs)
            {
                if (!input.IsTask)
                {
                    throw Damaged($"an input of a Task.{combinator.Kind} record is not a task");
                }

                ValidateSlot(input, inputType, $"Task.{combinator.Kind}", "input", leafIds);
            }
        }

        foreach (var collection in _model.TaskCollections)
        {
            var collectionType = TaskCollectionType(collection);
            var element = collectionType.IsArray ? collectionType.GetElementType()! : collectionType.GetGenericArguments()[0];
            foreach (var item in collection.Items)
            {
                if (item.Kind != SlotKind.Null && !item.IsTask)
                {
                    throw Damaged($"an element of a stored {collectionType} is not a task");
                }

                ValidateSlot(item, element, TypeNames.Format(collectionType), "element", leafIds);
            }
        }
    }

    private void ValidateSlot(SnapshotSlot slot, Type fieldType, string method, string field, HashSet<long> leafIds)
    {
        ValidateSlotKind(slot, fieldType, method, field, leafIds);
        if (slot.IsTask && TaskShape.GetResultType(fieldType) is { } expected)
        {
            var stored = StoredResultType(slot);
            if (stored != expected)
            {
                throw Damaged($"{method} field {field} is {fieldType}, the stored task has result type "
                    + $"{stored?.ToString() ?? "none"}");
            }
        }
    }

    private Type? StoredResultType(SnapshotSlot slot)
    {
        switch (slot.Kind)
        {
            case SlotKind.Leaf:
                var leaf = _model.Leaves.First(l => l.LeafId == slot.Id);
                return leaf.ResultTypeIndex < 0 ? null : _types[CheckIndex(leaf.ResultTypeIndex, _types.Length, "type")];
            case SlotKind.Frame:
                return _layouts[_model.Frames[(int)slot.Id].TypeIndex]?.ResultType;
            case SlotKind.Combinator:
                var combinator = _model.Combinators[(int)slot.Id];
                var element = combinator.ElementTypeIndex < 0
                    ? null
                    : _types[CheckIndex(combinator.ElementTypeIndex, _types.Length, "type")];
                return combinator.Kind switch
                {
                    TaskCombinatorKind.WhenAll => null,
                    TaskCombinatorKind.WhenAllResults => element?.MakeArrayType(),
                    _ => element,
                };
            default:
                return slot.ResultType < 0 ? null : _types[CheckIndex(slot.ResultType, _types.Length, "type")];
        }
    }

    private void ValidateSlotKind(SnapshotSlot slot, Type fieldType, string method, string field, HashSet<long> leafIds)
    {
        switch (slot.Kind)
        {
            case SlotKind.DefaultStruct:
                if (!fieldType.IsValueType)
                {
                    throw Damaged($"{method} field {field} of reference type {fieldType} is stored as a default struct");
                }

                break;
            case SlotKind.Null:
                if (fieldType.IsValueType && Nullable.GetUnderlyingType(fieldType) is null)
                {
                    throw Damaged($"{method} field {field} of value type {fieldType} is stored as null");
                }

                break;
            case SlotKind.Value:
                var value = _values[CheckIndex(slot.Id, _values.Length, "value")];
                if (value is null ? fieldType.IsValueType && Nullable.GetUnderlyingType(fieldType) is null : !fieldType.IsInstanceOfType(value))
                {
                    throw new FrameRebuildException(
                        method,
                        [$"field {field} is {fieldType}, the stored value is {value?.GetType().ToString() ?? "null"}"],
                        $"Cannot rebuild {method}: the stored value of {CompilerNames.GetSourceName(field)} does not fit its field.");
                }

                break;
            case SlotKind.Owner:
                if (_request.Owner is null || !fieldType.IsInstanceOfType(_request.Owner))
                {
                    throw new FrameRebuildException(
                        method,
                        [],
                        $"Cannot rebuild {method}: field {field} refers to the owner, and the new owner "
                        + $"({_request.Owner?.GetType().ToString() ?? "null"}) is not a {fieldType}.");
                }

                break;
            case SlotKind.OwnerField:
                ValidateOwnerField(slot, fieldType, method, field);
                break;
            case SlotKind.Leaf:
                if (!leafIds.Contains(slot.Id))
                {
                    throw Damaged($"{method} refers to leaf {slot.Id}, which the snapshot does not list");
                }

                break;
            case SlotKind.Frame:
                CheckIndex(slot.Id, _model.Frames.Count, "frame");
                break;
            case SlotKind.Closure:
                CheckIndex(slot.Id, _model.Closures.Count, "closure");
                break;
            case SlotKind.Combinator:
                CheckIndex(slot.Id, _model.Combinators.Count, "combinator");
                break;
            case SlotKind.TaskCollection:
                var collectionType = TaskCollectionType(_model.TaskCollections[CheckIndex(slot.Id, _model.TaskCollections.Count, "task collection")]);
                if (!fieldType.IsAssignableFrom(collectionType))
                {
                    throw Damaged($"{method} field {field} of type {fieldType} stores a {collectionType}");
                }

                break;
            case SlotKind.LambdaCache:
                CheckIndex(slot.Id, _types.Length, "type");
                break;
            case SlotKind.CancellationToken:
                if (!fieldType.IsAssignableFrom(typeof(CancellationToken)) || _request.ResolveCancellationToken is null)
                {
                    throw new FrameRebuildException(
                        method,
                        [$"field {field} is {fieldType}, the stored value is the cancellation token of root {slot.Id}"],
                        $"Cannot rebuild {method}: {CompilerNames.GetSourceName(field)} holds a cancellation token, "
                        + "and the rebuild request resolves no tokens or the field cannot hold one.");
                }

                break;
            case SlotKind.Enum:
                var enumType = _types[CheckIndex(slot.ResultType, _types.Length, "type")]!;
                if (!enumType.IsEnum || !fieldType.IsAssignableFrom(enumType) || _values[CheckIndex(slot.Id, _values.Length, "value")] is null)
                {
                    throw Damaged($"{method} field {field} stores an enum of type {enumType} that does not fit a {fieldType}");
                }

                break;
            case SlotKind.CompletedTask or SlotKind.FaultedTask or SlotKind.CanceledTask:
                if (slot.ResultType >= 0)
                {
                    CheckIndex(slot.ResultType, _types.Length, "type");
                }

                if (slot.Kind != SlotKind.CanceledTask)
                {
                    CheckIndex(slot.Id, _values.Length, "value");
                }

                break;
            default:
                throw Damaged($"unknown slot kind {slot.Kind}");
        }
    }

    /// <summary>Orders frames so that every frame comes after the frames it awaits or stores the tasks of.</summary>
    private void OrderFrames()
    {
        var order = new List<int>(_model.Frames.Count);
        var marks = new byte[_model.Frames.Count];
        for (var i = 0; i < marks.Length; i++)
        {
            Visit(i);
        }

        _frameOrder = order.ToArray();

        void Visit(int index)
        {
            if (marks[index] == 2)
            {
                return;
            }

            if (marks[index] == 1)
            {
                throw Damaged("frames refer to each other's tasks in a cycle");
            }

            marks[index] = 1;
            var frame = _model.Frames[index];
            foreach (var slot in frame.Fields.Append(frame.Awaits).SelectMany(ExpandTaskSlots))
            {
                if (slot.Kind == SlotKind.Frame)
                {
                    Visit((int)slot.Id);
                }
            }

            marks[index] = 2;
            order.Add(index);
        }
    }

    /// <summary>
    /// Returns the slot and, for a combinator or a task collection, the slots of its inputs or elements, at any
    /// depth: the frames among them must be built before the combinator or collection.
    /// </summary>
    private IEnumerable<SnapshotSlot> ExpandTaskSlots(SnapshotSlot slot)
    {
        var pending = new Stack<SnapshotSlot>([slot]);
        var seen = new HashSet<SnapshotSlot>();
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            yield return next;
            var inner = next.Kind switch
            {
                SlotKind.Combinator => _model.Combinators[CheckIndex(next.Id, _model.Combinators.Count, "combinator")].Inputs,
                SlotKind.TaskCollection => _model.TaskCollections[CheckIndex(next.Id, _model.TaskCollections.Count, "task collection")].Items,
                _ => [],
            };
            foreach (var item in inner)
            {
                pending.Push(item);
            }
        }
    }

    private static int CheckIndex(long index, int count, string what) =>
        index >= 0 && index < count ? (int)index : throw Damaged($"a {what} index is out of range");

    private static FrameRebuildException Damaged(string detail) =>
        new(null, [], "Cannot rebuild the snapshot: it is damaged: " + detail + ".");

    private static FrameRebuildException CodeChanged(string method, List<string> differences) =>
        new(
            method,
            differences,
            $"Cannot rebuild {method}: the method changed since the snapshot was taken ({string.Join("; ", differences)}). "
            + "Nothing was rebuilt; deploy the code the snapshot was taken with to finish the method.");
}
