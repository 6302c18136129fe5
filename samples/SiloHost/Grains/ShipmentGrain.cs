using Immortals.Orleans;
using Orleans.Placement;

namespace SiloHost.Grains;

/// <summary>
/// An immortal shipment. Booking waits for the carrier, an ordinary grain that takes seconds, so the shipment and
/// its workflow stay suspended long enough for a silo to die under them.
/// </summary>
[RandomPlacement]
public sealed class ShipmentGrain : Grain, IShipmentGrain, IImmortalGrain
{
    private int _bookings;
    private string? _trackingNumber;

    private const int MaxCarrierAttempts = 3;

    /// <inheritdoc />
    public async Task<string> Book(string sku, int quantity)
    {
        // A call to an ordinary grain is made at least once: after a recovery it is sent again. Its failures, a
        // timeout included, are results like in plain Orleans, so the shipment retries them itself. The booking
        // below is committed state of this grain, so it counts once.
        var carrier = GrainFactory.GetGrain<ICarrierGrain>(0);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var trackingNumber = await carrier.Book(this.GetPrimaryKeyString(), sku, quantity);
                _bookings++;
                _trackingNumber = trackingNumber;
                return trackingNumber;
            }
            catch (TimeoutException) when (attempt < MaxCarrierAttempts)
            {
            }
        }
    }

    /// <inheritdoc />
    public Task<ShipmentRecord> GetRecord() =>
        Task.FromResult(new ShipmentRecord { Bookings = _bookings, TrackingNumber = _trackingNumber });
}
