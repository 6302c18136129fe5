using System.Text;
using static Immortals.Orleans.StateMachines.FrameSnapshotModel;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Writes and reads the binary form of a frame snapshot.
/// </summary>
/// <remarks>
/// Layout (integers as 7-bit varints, longs zigzag-encoded):
/// <c>"IMFS"</c>, format version byte, type table, frames, closures, roots, leaves, combinators and task collections
/// (from version 2), then the length and bytes of the Orleans-serialized value array. Strings are written once and referred to by index afterwards.
/// </remarks>
internal static class FrameSnapshotCodec
{
    /// <summary>Current format version. Version 2 added combinators, task collections and cancellation tokens; both versions are read.</summary>
    public const byte FormatVersion = 2;

    private const byte FirstReadableVersion = 1;

    private static ReadOnlySpan<byte> Magic => "IMFS"u8;

    /// <summary>Encodes a model.</summary>
    public static byte[] Write(FrameSnapshotModel model)
    {
        using var stream = new MemoryStream();
        var writer = new Writer(stream);
        stream.Write(Magic);
        stream.WriteByte(FormatVersion);

        writer.WriteCount(model.Types.Count);
        foreach (var type in model.Types)
        {
            WriteType(writer, type);
        }

        writer.WriteCount(model.Frames.Count);
        foreach (var frame in model.Frames)
        {
            writer.WriteCount(frame.TypeIndex);
            writer.WriteLong(frame.State);
            writer.WriteCount(frame.AwaiterIndex);
            writer.WriteCount(frame.AwaiterOptions);
            WriteSlot(writer, frame.Awaits);
            WriteSlots(writer, frame.Fields);
        }

        writer.WriteCount(model.Closures.Count);
        foreach (var closure in model.Closures)
        {
            writer.WriteCount(closure.TypeIndex);
            WriteSlots(writer, closure.Fields);
        }

        writer.WriteCount(model.Roots.Count);
        foreach (var root in model.Roots)
        {
            writer.WriteLong(root.RootId);
            WriteSlot(writer, root.Task);
        }

        writer.WriteCount(model.Leaves.Count);
        foreach (var leaf in model.Leaves)
        {
            writer.WriteLong(leaf.LeafId);
            writer.WriteLong(leaf.ResultTypeIndex);
        }

        writer.WriteCount(model.Combinators.Count);
        foreach (var combinator in model.Combinators)
        {
            writer.WriteByte((byte)combinator.Kind);
            writer.WriteLong(combinator.ElementTypeIndex);
            WriteSlots(writer, combinator.Inputs);
        }

        writer.WriteCount(model.TaskCollections.Count);
        foreach (var collection in model.TaskCollections)
        {
            writer.WriteByte((byte)collection.Kind);
            writer.WriteLong(collection.ElementTypeIndex);
            WriteSlots(writer, collection.Items);
        }

        writer.WriteCount(model.Values.Length);
        stream.Write(model.Values.Span);
        return stream.ToArray();
    }

    /// <summary>Decodes a snapshot; throws <see cref="FormatException"/> when it is damaged or of another version.</summary>
    public static FrameSnapshotModel Read(ReadOnlyMemory<byte> snapshot)
    {
        var span = snapshot.Span;
        if (span.Length < Magic.Length + 1 || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new FormatException("The data is not a frame snapshot: the 'IMFS' header is missing.");
        }

        var version = span[Magic.Length];
        if (version is < FirstReadableVersion or > FormatVersion)
        {
            throw new FormatException(
                $"The frame snapshot has format version {version}; this build reads versions {FirstReadableVersion} "
                + $"to {FormatVersion}.");
        }

        try
        {
            var reader = new Reader(snapshot, Magic.Length + 1);
            var model = new FrameSnapshotModel();
            for (var count = reader.ReadCount(); count > 0; count--)
            {
                model.Types.Add(ReadType(reader));
            }

            for (var count = reader.ReadCount(); count > 0; count--)
            {
                model.Frames.Add(new FrameRecord(
                    reader.ReadCount(),
                    (int)reader.ReadLong(),
                    reader.ReadCount(),
                    reader.ReadCount(),
                    ReadSlot(reader),
                    ReadSlots(reader)));
            }

            for (var count = reader.ReadCount(); count > 0; count--)
            {
                model.Closures.Add(new ClosureRecord(reader.ReadCount(), ReadSlots(reader)));
            }

            for (var count = reader.ReadCount(); count > 0; count--)
            {
                model.Roots.Add(new RootRecord(reader.ReadLong(), ReadSlot(reader)));
            }

            for (var count = reader.ReadCount(); count > 0; count--)
            {
                model.Leaves.Add(new LeafRecord(reader.ReadLong(), (int)reader.ReadLong()));
            }

            if (version >= 2)
            {
                for (var count = reader.ReadCount(); count > 0; count--)
                {
                    model.Combinators.Add(new CombinatorRecord(
                        (TaskCombinatorKind)reader.ReadByte(),
                        (int)reader.ReadLong(),
                        ReadSlots(reader)));
                }

                for (var count = reader.ReadCount(); count > 0; count--)
                {
                    model.TaskCollections.Add(new TaskCollectionRecord(
                        (TaskCollectionKind)reader.ReadByte(),
                        (int)reader.ReadLong(),
                        ReadSlots(reader)));
                }
            }

            model.Values = reader.ReadBytes(reader.ReadCount());
            return model;
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new FormatException("The frame snapshot is truncated or damaged.", exception);
        }
    }

    private static void WriteType(Writer writer, TypeRecord type)
    {
        writer.WriteByte((byte)type.Kind);
        WriteOptionalTypeReference(writer, type.Type);
        writer.WriteByte(type.Method is null ? (byte)0 : (byte)1);
        if (type.Method is { } method)
        {
            writer.WriteString(method.Assembly);
            writer.WriteString(method.DeclaringType);
            writer.WriteString(method.Method);
        }

        writer.WriteString(type.Signature);
        writer.WriteCount(type.GenericArguments.Count);
        foreach (var argument in type.GenericArguments)
        {
            WriteTypeReference(writer, argument);
        }

        writer.WriteBytes(type.LayoutHash);
        writer.WriteBytes(type.IlHash);
        writer.WriteCount(type.FieldNames.Length);
        foreach (var name in type.FieldNames)
        {
            writer.WriteString(name);
        }
    }

    private static TypeRecord ReadType(Reader reader)
    {
        var kind = (TypeKind)reader.ReadByte();
        var type = ReadOptionalTypeReference(reader);
        AsyncMethodIdentity? method = reader.ReadByte() == 0
            ? null
            : new AsyncMethodIdentity(reader.ReadString(), reader.ReadString(), reader.ReadString());
        var signature = reader.ReadString();
        var arguments = new TypeReference[reader.ReadCount()];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = ReadTypeReference(reader);
        }

        var layoutHash = reader.ReadBytes().ToArray();
        var ilHash = reader.ReadBytes().ToArray();
        var names = new string[reader.ReadCount()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString();
        }

        return new TypeRecord(kind, type, method, signature, arguments, layoutHash, ilHash, names);
    }

    private static void WriteOptionalTypeReference(Writer writer, TypeReference? type)
    {
        writer.WriteByte(type is null ? (byte)0 : (byte)1);
        if (type is not null)
        {
            WriteTypeReference(writer, type);
        }
    }

    private static TypeReference? ReadOptionalTypeReference(Reader reader) =>
        reader.ReadByte() == 0 ? null : ReadTypeReference(reader);

    private static void WriteTypeReference(Writer writer, TypeReference type)
    {
        writer.WriteLong(type.ArrayRank);
        writer.WriteString(type.Assembly);
        writer.WriteString(type.FullName);
        writer.WriteCount(type.Arguments.Count);
        foreach (var argument in type.Arguments)
        {
            WriteTypeReference(writer, argument);
        }
    }

    private static TypeReference ReadTypeReference(Reader reader)
    {
        var rank = (int)reader.ReadLong();
        var assembly = reader.ReadString();
        var fullName = reader.ReadString();
        var arguments = new TypeReference[reader.ReadCount()];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = ReadTypeReference(reader);
        }

        return new TypeReference(assembly, fullName, arguments, rank);
    }

    private static void WriteSlots(Writer writer, SnapshotSlot[] slots)
    {
        writer.WriteCount(slots.Length);
        foreach (var slot in slots)
        {
            WriteSlot(writer, slot);
        }
    }

    private static SnapshotSlot[] ReadSlots(Reader reader)
    {
        var slots = new SnapshotSlot[reader.ReadCount()];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = ReadSlot(reader);
        }

        return slots;
    }

    private static void WriteSlot(Writer writer, SnapshotSlot slot)
    {
        writer.WriteByte((byte)slot.Kind);
        switch (slot.Kind)
        {
            case SlotKind.Null or SlotKind.Owner or SlotKind.DefaultStruct:
                break;
            case SlotKind.CompletedTask or SlotKind.FaultedTask or SlotKind.CanceledTask or SlotKind.Enum:
                writer.WriteLong(slot.Id);
                writer.WriteLong(slot.ResultType);
                break;
            default:
                writer.WriteLong(slot.Id);
                break;
        }
    }

    private static SnapshotSlot ReadSlot(Reader reader)
    {
        var kind = (SlotKind)reader.ReadByte();
        return kind switch
        {
            SlotKind.Null or SlotKind.Owner or SlotKind.DefaultStruct => new SnapshotSlot(kind),
            SlotKind.CompletedTask or SlotKind.FaultedTask or SlotKind.CanceledTask or SlotKind.Enum =>
                new SnapshotSlot(kind, reader.ReadLong(), (int)reader.ReadLong()),
            <= SlotKind.TaskCollection or SlotKind.CancellationToken => new SnapshotSlot(kind, reader.ReadLong()),
            _ => throw new FormatException($"The frame snapshot has an unknown slot kind {(byte)kind}."),
        };
    }

    private sealed class Writer(MemoryStream stream)
    {
        private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);

        public void WriteByte(byte value) => stream.WriteByte(value);

        public void WriteCount(int value) => WriteVarint((uint)value);

        public void WriteLong(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            WriteCount(bytes.Length);
            stream.Write(bytes);
        }

        /// <summary>Writes a string the first time as 0 and its UTF-8 bytes, later as its index plus one.</summary>
        public void WriteString(string value)
        {
            if (_strings.TryGetValue(value, out var index))
            {
                WriteCount(index + 1);
                return;
            }

            _strings.Add(value, _strings.Count);
            WriteCount(0);
            WriteBytes(Encoding.UTF8.GetBytes(value));
        }

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            stream.WriteByte((byte)value);
        }
    }

    private sealed class Reader(ReadOnlyMemory<byte> data, int position)
    {
        private readonly List<string> _strings = [];
        private int _position = position;

        public byte ReadByte() => data.Span[_position++];

        public int ReadCount()
        {
            var value = ReadVarint();
            if (value > int.MaxValue)
            {
                throw new FormatException("The frame snapshot has an out-of-range count.");
            }

            return (int)value;
        }

        public long ReadLong()
        {
            var value = ReadVarint();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        public ReadOnlyMemory<byte> ReadBytes() => ReadBytes(ReadCount());

        public ReadOnlyMemory<byte> ReadBytes(int length)
        {
            if (length > data.Length - _position)
            {
                throw new FormatException("The frame snapshot is truncated.");
            }

            var bytes = data.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public string ReadString()
        {
            var index = ReadCount();
            if (index > 0)
            {
                return _strings[index - 1];
            }

            var value = Encoding.UTF8.GetString(ReadBytes().Span);
            _strings.Add(value);
            return value;
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var next = ReadByte();
                value |= (ulong)(next & 0x7f) << shift;
                if (next < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("The frame snapshot has a malformed number.");
        }
    }
}
