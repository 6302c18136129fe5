using System.Security.Cryptography;
using System.Text;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Encodes bytes into names that Azure Table keys, Azure Blob names and Linux file names accept, reversibly, and
/// shortens names that exceed a store's length limit.
/// </summary>
/// <remarks>
/// ASCII letters, digits, <c>-</c> and <c>_</c> stay as they are; every other byte becomes <c>~</c> followed by two
/// upper-case hex digits. Encoded text therefore never contains <c>.</c>, <c>/</c>, <c>\</c>, <c>#</c>, <c>?</c>,
/// control characters or two <c>~</c> in a row, so <c>.</c> can separate encoded parts and <c>~~</c> can mark a
/// shortened name without any ambiguity.
/// </remarks>
internal static class CheckpointKeyEncoder
{
    /// <summary>Marker between the kept prefix and the hash of a shortened name.</summary>
    public const string HashMarker = "~~";

    private const int HashHexLength = 64;
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Encodes bytes, typically UTF-8 text.</summary>
    public static string Encode(ReadOnlySpan<byte> value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in value)
        {
            if (IsKept(b))
            {
                builder.Append((char)b);
                continue;
            }

            builder.Append('~');
            builder.Append(HexDigits[b >> 4]);
            builder.Append(HexDigits[b & 0xF]);
        }

        return builder.ToString();
    }

    /// <summary>Encodes the UTF-8 bytes of a string.</summary>
    public static string Encode(string value) => Encode(Encoding.UTF8.GetBytes(value));

    /// <summary>Decodes the output of <see cref="Encode(ReadOnlySpan{byte})"/>.</summary>
    /// <exception cref="FormatException">The text is not an encoded value.</exception>
    public static byte[] Decode(string encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c != '~')
            {
                if (c > 0x7F || !IsKept((byte)c))
                {
                    throw new FormatException($"Character '{c}' at position {i} cannot appear in an encoded name.");
                }

                bytes.Add((byte)c);
                continue;
            }

            var high = i + 2 < encoded.Length ? HexDigits.IndexOf(encoded[i + 1]) : -1;
            var low = i + 2 < encoded.Length ? HexDigits.IndexOf(encoded[i + 2]) : -1;
            if (high < 0 || low < 0)
            {
                throw new FormatException($"Escape at position {i} is not followed by two upper-case hex digits.");
            }

            bytes.Add((byte)((high << 4) | low));
            i += 2;
        }

        return bytes.ToArray();
    }

    /// <summary>
    /// Returns <paramref name="name"/> when it fits in <paramref name="maxLength"/> characters, and otherwise a
    /// prefix of it followed by <see cref="HashMarker"/> and the SHA-256 of the whole name in hex.
    /// </summary>
    /// <remarks>
    /// Two different long names can only share a shortened form through a SHA-256 collision. Stores keep the whole
    /// name next to the checkpoint and compare it on every read, so even a collision never returns another grain's
    /// checkpoint.
    /// </remarks>
    public static string Shorten(string name, int maxLength)
    {
        var minimum = HashMarker.Length + HashHexLength + 1;
        if (maxLength < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"The minimum is {minimum}.");
        }

        if (name.Length <= maxLength)
        {
            return name;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var prefix = name[..(maxLength - HashMarker.Length - HashHexLength)];
        return prefix + HashMarker + hash;
    }

    private static bool IsKept(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_';
}
