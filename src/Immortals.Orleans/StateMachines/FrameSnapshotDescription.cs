using System.Globalization;
using System.Text;
using Orleans.Serialization;
using static Immortals.Orleans.StateMachines.FrameSnapshotModel;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Readable content of a frame snapshot, for diagnostics and tools.
/// </summary>
/// <param name="FormatVersion">Snapshot format version.</param>
/// <param name="SizeInBytes">Size of the snapshot.</param>
/// <param name="Roots">What each root is, by root id: <c>frame N</c> or the outcome of a finished root.</param>
/// <param name="Leaves">Ids of the leaves the frames await or hold.</param>
/// <param name="Frames">Captured frames, by index.</param>
internal sealed record FrameSnapshotDescription(
    int FormatVersion,
    int SizeInBytes,
    IReadOnlyDictionary<long, string> Roots,
    IReadOnlyList<long> Leaves,
    IReadOnlyList<FrameSnapshotDescription.Frame> Frames)
{
    /// <summary>Returns a multi-line listing of roots, frames and locals.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"frame snapshot v{FormatVersion}, {SizeInBytes} bytes, ")
            .Append(CultureInfo.InvariantCulture, $"{Frames.Count} frames, leaves [{string.Join(", ", Leaves)}]\n");
        foreach (var (rootId, frame) in Roots)
        {
            text.Append(CultureInfo.InvariantCulture, $"root {rootId}: {frame}\n");
        }

        foreach (var frame in Frames)
        {
            text.Append(CultureInfo.InvariantCulture, $"frame {frame.Index}: {frame.Method} at state {frame.State}, awaits {frame.Awaits}\n");
            foreach (var local in frame.Locals)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {local.Name}: {local.Type} = {local.Value}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Builds the description of a decoded snapshot.</summary>
    internal static FrameSnapshotDescription Create(FrameSnapshotModel model, int size, Serializer serializer)
    {
        object?[]? values;
        try
        {
            values = serializer.Deserialize<object?[]>(model.Values);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Values whose types are not loaded in this process are listed by index only.
            values = null;
        }

        var frames = new List<Frame>(model.Frames.Count);
        for (var i = 0; i < model.Frames.Count; i++)
        {
            var record = model.Frames[i];
            var type = model.Types[record.TypeIndex];
            var stored = Enumerable.Range(0, type.FieldNames.Length)
                .Where(f => CompilerNames.IsStoredStateMachineField(type.FieldNames[f]))
                .ToArray();
            var locals = new List<Local>(record.Fields.Length);
            for (var f = 0; f < record.Fields.Length && f < stored.Length; f++)
            {
                var fieldName = type.FieldNames[stored[f]];
                locals.Add(new Local(
                    CompilerNames.GetSourceName(fieldName),
                    fieldName,
                    DescribeSlotType(record.Fields[f], values),
                    DescribeSlot(record.Fields[f], model, values)));
            }

            frames.Add(new Frame(i, type.DisplayName, record.State, DescribeSlot(record.Awaits, model, values), locals));
        }

        return new FrameSnapshotDescription(
            FrameSnapshotCodec.FormatVersion,
            size,
            model.Roots.ToDictionary(r => r.RootId, r => DescribeSlot(r.Task, model, values)),
            model.Leaves.Select(l => l.LeafId).ToArray(),
            frames);
    }

    private static string DescribeSlot(SnapshotSlot slot, FrameSnapshotModel model, object?[]? values) => slot.Kind switch
    {
        SlotKind.Null => "null",
        SlotKind.Owner => "(owner)",
        SlotKind.OwnerField => "owner field " + DescribeValue(slot.Id, values),
        SlotKind.DefaultStruct => "(default)",
        SlotKind.Leaf => $"leaf {slot.Id}",
        SlotKind.Frame => $"frame {slot.Id}",
        SlotKind.Closure => $"closure {slot.Id} ({model.Types[model.Closures[(int)slot.Id].TypeIndex].DisplayName})",
        SlotKind.LambdaCache => "(lambda cache)",
        SlotKind.Value => DescribeValue(slot.Id, values),
        SlotKind.CompletedTask => "completed task: " + DescribeValue(slot.Id, values),
        SlotKind.FaultedTask => "faulted task: " + DescribeValue(slot.Id, values),
        SlotKind.CanceledTask => "canceled task",
        SlotKind.CancellationToken => $"cancellation token of root {slot.Id}",
        SlotKind.Enum => $"{model.Types[slot.ResultType].DisplayName} {DescribeValue(slot.Id, values)}",
        SlotKind.Combinator => $"Task.{model.Combinators[(int)slot.Id].Kind} of "
            + $"[{string.Join(", ", model.Combinators[(int)slot.Id].Inputs.Select(input => DescribeSlot(input, model, values)))}]",
        SlotKind.TaskCollection => $"{model.TaskCollections[(int)slot.Id].Kind} of "
            + $"[{string.Join(", ", model.TaskCollections[(int)slot.Id].Items.Select(item => DescribeSlot(item, model, values)))}]",
        _ => slot.Kind.ToString(),
    };

    private static string DescribeSlotType(SnapshotSlot slot, object?[]? values) => slot.Kind switch
    {
        SlotKind.Value when values?[slot.Id] is { } value => TypeNames.Format(value.GetType()),
        SlotKind.Value => "(value)",
        SlotKind.Enum => "(enum)",
        SlotKind.Null => "(null)",
        SlotKind.Owner => "(owner)",
        SlotKind.OwnerField => "(owner field)",
        SlotKind.DefaultStruct => "(default)",
        SlotKind.Closure or SlotKind.LambdaCache => "(closure)",
        SlotKind.TaskCollection => "(tasks)",
        _ => "(task)",
    };

    private static string DescribeValue(long index, object?[]? values) => values is null
        ? $"value {index}"
        : values[index] switch
        {
            null => "null",
            string text => '"' + text + '"',
            Exception[] exceptions => string.Join(", ", exceptions.Select(e => $"{e.GetType().Name}: {e.Message}")),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

    /// <summary>One captured frame.</summary>
    /// <param name="Index">Frame index, as referred to by roots and other frames.</param>
    /// <param name="Method">Async method, as <c>Namespace.Type.Method</c>.</param>
    /// <param name="State">The await the method is suspended at (the compiler's state number).</param>
    /// <param name="Awaits">What it awaits: <c>leaf N</c>, <c>frame N</c> or a completed task.</param>
    /// <param name="Locals">Stored fields: parameters, <c>this</c>, locals and spills.</param>
    internal sealed record Frame(int Index, string Method, int State, string Awaits, IReadOnlyList<Local> Locals);

    /// <summary>One stored field of a frame.</summary>
    /// <param name="Name">Source name (<c>total</c>, <c>this</c>, a parameter) or the compiler's field name.</param>
    /// <param name="FieldName">The compiler's field name, for example <c>&lt;total&gt;5__2</c>.</param>
    /// <param name="Type">Runtime type of the stored value, or what the field holds: <c>(owner)</c>, <c>(task)</c>,
    /// <c>(closure)</c> or <c>(null)</c>.</param>
    /// <param name="Value">The value as text, or what it refers to.</param>
    internal sealed record Local(string Name, string FieldName, string Type, string Value);
}
