namespace SiloHost.Grains;

/// <summary>A slow external carrier, reached through an ordinary grain.</summary>
public interface ICarrierGrain : IGrainWithIntegerKey
{
    /// <summary>Books a pickup and returns a tracking number after the carrier's booking delay.</summary>
    Task<string> Book(string orderId, string sku, int quantity);
}
