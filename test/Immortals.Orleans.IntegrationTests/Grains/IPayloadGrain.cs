namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain that returns large results.</summary>
public interface IPayloadGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="size"/> bytes, byte i being <c>(i * 31 + seed) % 251</c>.</summary>
    Task<byte[]> Make(int size, int seed);

    /// <summary>How often <see cref="Make"/> ran to completion in a committed state.</summary>
    Task<int> GetMade();
}
