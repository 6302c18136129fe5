namespace SiloHost.Grains;

/// <summary>Stock of one stock-keeping unit, keyed by the SKU.</summary>
public interface IInventoryGrain : IGrainWithStringKey
{
    /// <summary>Reserves units for an order and returns the units still available.</summary>
    Task<int> Reserve(string orderId, int quantity);

    /// <summary>Releases all units reserved for an order.</summary>
    Task Release(string orderId);

    /// <summary>Returns the committed reservations and releases of every order.</summary>
    Task<InventoryLedger> GetLedger();
}
