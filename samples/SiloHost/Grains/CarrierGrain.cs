using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SiloHost.Diagnostics;
using SiloHost.Hosting;

namespace SiloHost.Grains;

/// <summary>
/// An ordinary grain that stands for a slow carrier API. As a stateless worker it runs on the caller's silo, so a
/// booking dies only with the shipment that waits for it. It is reentrant, so bookings wait side by side.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class CarrierGrain(OrderBoard board, IOptions<SampleSettings> settings) : Grain, ICarrierGrain
{
    /// <inheritdoc />
    public async Task<string> Book(string orderId, string sku, int quantity)
    {
        board.MarkAtCarrier(orderId);
        await Task.Delay(TimeSpan.FromSeconds(settings.Value.ShippingSeconds));
        return $"TRK-{sku}-{quantity}-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
    }
}
