namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal grain that returns large results.</summary>
public interface IPayloadGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="size"/> bytes, byte i being <c>(i * 31 + seed) % 251</c>.</summary>
    Task<byte[]> Make(int size, int seed);

    /// <summary>How often <see cref="Make"/> ran to completion in a committed state.</summary>
    Task<int> GetMade();

    /// <summary>Passes test gate 1, then returns the sum of <paramref name="data"/>.</summary>
    Task<long> SumAfterGate(byte[] data, string gateKey);

    /// <summary>How often <see cref="SumAfterGate"/> ran to completion in a committed state.</summary>
    Task<int> GetSummed();
}
