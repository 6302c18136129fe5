namespace SiloHost.Grains;

/// <summary>The shipment of one order, keyed by the order id.</summary>
public interface IShipmentGrain : IGrainWithStringKey
{
    /// <summary>Books the shipment with the carrier and returns its tracking number.</summary>
    Task<string> Book(string sku, int quantity);

    /// <summary>Returns the committed bookings.</summary>
    Task<ShipmentRecord> GetRecord();
}
