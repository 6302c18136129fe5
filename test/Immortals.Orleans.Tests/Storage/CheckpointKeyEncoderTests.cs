using System.Text;
using Immortals.Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

public sealed class CheckpointKeyEncoderTests
{
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var key in CheckpointStoreContract.OddKeys.Concat(CheckpointStoreContract.LongKeys()))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Encoding_round_trips_and_is_safe(string key)
    {
        var encoded = CheckpointKeyEncoder.Encode(key);

        Assert.Equal(Encoding.UTF8.GetBytes(key), CheckpointKeyEncoder.Decode(encoded));
        Assert.DoesNotContain(encoded, c => c is '/' or '\\' or '#' or '?' or '.' or ' ' || char.IsControl(c) || c > 0x7E);
        Assert.DoesNotContain(CheckpointKeyEncoder.HashMarker, encoded);
    }

    [Fact]
    public void Distinct_keys_encode_distinctly()
    {
        var keys = CheckpointStoreContract.OddKeys.Concat(CheckpointStoreContract.LongKeys()).ToList();

        var encoded = keys.Select(CheckpointKeyEncoder.Encode).ToHashSet();

        Assert.Equal(keys.Count, encoded.Count);
    }

    [Fact]
    public void Lookalike_of_encoding_differs()
    {
        Assert.Equal("a~2Fb", CheckpointKeyEncoder.Encode("a/b"));
        Assert.NotEqual(CheckpointKeyEncoder.Encode("a/b"), CheckpointKeyEncoder.Encode("a~2Fb"));
    }

    [Fact]
    public void Long_names_keep_prefix_and_hash()
    {
        var prefix = new string('x', 3000);

        var first = CheckpointKeyEncoder.Shorten(prefix + "1", 200);
        var second = CheckpointKeyEncoder.Shorten(prefix + "2", 200);

        Assert.Equal(200, first.Length);
        Assert.Equal(200, second.Length);
        Assert.NotEqual(first, second);
        Assert.StartsWith(new string('x', 100), first);
        Assert.Contains(CheckpointKeyEncoder.HashMarker, first);
        Assert.Equal("short", CheckpointKeyEncoder.Shorten("short", 200));
    }

    [Theory]
    [InlineData("a~")]
    [InlineData("a~2")]
    [InlineData("a~2f")]
    [InlineData("a/b")]
    public void Decoding_rejects_invalid_text(string text)
    {
        Assert.Throws<FormatException>(() => CheckpointKeyEncoder.Decode(text));
    }
}
