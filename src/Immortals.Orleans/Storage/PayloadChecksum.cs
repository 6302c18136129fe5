using System.IO.Hashing;

namespace Immortals.Orleans.Storage;

/// <summary>
/// The checksum that the plugin's stores keep next to every serialized grain state and compare on read, so a
/// changed bit in stored bytes is reported instead of deserialized.
/// </summary>
/// <remarks>XxHash64 (System.IO.Hashing) detects accidental changes; it is no protection against deliberate ones.</remarks>
internal static class PayloadChecksum
{
    /// <summary>Computes the checksum of a serialized grain state.</summary>
    public static ulong Compute(ReadOnlySpan<byte> payload) => XxHash64.HashToUInt64(payload);

    /// <summary>Returns null when the payload matches the checksum, and otherwise a description of the mismatch.</summary>
    public static string? Verify(ReadOnlySpan<byte> payload, ulong expected)
    {
        var actual = Compute(payload);
        return actual == expected
            ? null
            : $"the checksum of its {payload.Length} payload bytes is {actual:X16} but {expected:X16} was stored, " +
              "so the stored bytes changed after they were written";
    }
}
