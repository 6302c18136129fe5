using System.Buffers.Binary;

namespace Immortals.Orleans.Checkpointing;

/// <summary>Expired request ids that may be forgotten at the same time.</summary>
[GenerateSerializer]
internal sealed class ExpiredRequestIdBucket
{
    /// <summary>Time after which the ids are dropped, or <see cref="DateTimeOffset.MaxValue"/> to keep them.</summary>
    [Id(0)]
    public DateTimeOffset ForgetAfter { get; set; }

    /// <summary>
    /// Stored form of <see cref="Ids"/>: the hashes packed 8 bytes each, little-endian, because the serializer
    /// writes a <c>long[]</c> with a header and a variable-length integer per element.
    /// </summary>
    [Id(1)]
    public byte[] PackedIds
    {
        get
        {
            var packed = new byte[Ids.Count * sizeof(long)];
            for (var i = 0; i < Ids.Count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(i * sizeof(long)), Ids[i]);
            }

            return packed;
        }

        set
        {
            Ids = new List<long>(value.Length / sizeof(long));
            for (var offset = 0; offset + sizeof(long) <= value.Length; offset += sizeof(long))
            {
                Ids.Add(BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(offset)));
            }
        }
    }

    /// <summary>The XxHash64 values of the ids (see <see cref="ExpiredRequestIds.Hash"/>).</summary>
    [NonSerialized]
    public List<long> Ids = [];
}
