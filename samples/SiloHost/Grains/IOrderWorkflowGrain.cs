namespace SiloHost.Grains;

/// <summary>The workflow of one order, keyed by the order id.</summary>
public interface IOrderWorkflowGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the stock, charges the payment and books the shipment. When the payment is declined, releases the
    /// stock and returns a cancelled outcome.
    /// </summary>
    Task<OrderOutcome> Place(OrderRequest order);
}
