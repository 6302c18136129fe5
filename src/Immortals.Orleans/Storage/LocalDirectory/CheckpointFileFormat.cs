using System.Buffers.Binary;

namespace Immortals.Orleans.Storage.LocalDirectory;

/// <summary>
/// Layout of a checkpoint file: the 4 ASCII bytes <c>IMCK</c>, a format byte, the file's ETag as 16 bytes, then a
/// <see cref="CheckpointEnvelope"/> in Orleans' binary format.
/// </summary>
/// <remarks>
/// The ETag sits at a fixed offset so a writer checks it by reading 21 bytes instead of the whole file.
/// </remarks>
internal static class CheckpointFileFormat
{
    /// <summary>Size of the header before the envelope.</summary>
    public const int HeaderLength = 4 + 1 + 16;

    private const byte CurrentFormat = 1;
    private static readonly uint Magic = BinaryPrimitives.ReadUInt32BigEndian("IMCK"u8);

    /// <summary>Builds a file's content.</summary>
    public static byte[] Compose(Guid eTag, byte[] envelope)
    {
        var content = new byte[HeaderLength + envelope.Length];
        BinaryPrimitives.WriteUInt32BigEndian(content, Magic);
        content[4] = CurrentFormat;
        eTag.TryWriteBytes(content.AsSpan(5, 16));
        envelope.CopyTo(content.AsSpan(HeaderLength));
        return content;
    }

    /// <summary>
    /// Reads a header and returns the ETag, or a description of what is wrong with it.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> content, out string eTag, out string problem)
    {
        eTag = "";
        if (content.Length < HeaderLength)
        {
            problem = $"the file has {content.Length} bytes, fewer than the {HeaderLength}-byte header";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(content) != Magic)
        {
            problem = "the file does not start with the checkpoint marker IMCK";
            return false;
        }

        if (content[4] != CurrentFormat)
        {
            problem = $"the file has format version {content[4]}, this code reads version {CurrentFormat}";
            return false;
        }

        eTag = new Guid(content.Slice(5, 16)).ToString("N");
        problem = "";
        return true;
    }
}
