namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>A type without an Orleans serializer.</summary>
public sealed class UnserializableHolder
{
    public int Value { get; set; }
}
