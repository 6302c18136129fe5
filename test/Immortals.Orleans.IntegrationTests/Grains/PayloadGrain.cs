namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class PayloadGrain : Grain, IPayloadGrain, IImmortalGrain
{
    private int _made;

    public Task<byte[]> Make(int size, int seed)
    {
        _made++;
        return Task.FromResult(Fill(size, seed));
    }

    public Task<int> GetMade() => Task.FromResult(_made);

    /// <summary>Builds the payload that <see cref="Make"/> returns, for tests to compare with.</summary>
    public static byte[] Fill(int size, int seed)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 31 + seed) % 251);
        }

        return bytes;
    }
}
