namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class PayloadGrain : Grain, IPayloadGrain, IImmortalGrain
{
    private int _made;
    private int _summed;

    public Task<byte[]> Make(int size, int seed)
    {
        _made++;
        return Task.FromResult(Fill(size, seed));
    }

    public Task<int> GetMade() => Task.FromResult(_made);

    public async Task<long> SumAfterGate(byte[] data, string gateKey)
    {
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        var sum = 0L;
        foreach (var value in data)
        {
            sum += value;
        }

        _summed++;
        return sum;
    }

    public Task<int> GetSummed() => Task.FromResult(_summed);

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
