namespace SiloHost.Grains;

/// <summary>Payments of one customer, keyed by the customer id.</summary>
public interface IPaymentGrain : IGrainWithStringKey
{
    /// <summary>Charges a card for an order, or raises <see cref="PaymentDeclinedException"/>.</summary>
    Task Charge(string orderId, string cardNumber, long amountCents);

    /// <summary>Returns the committed charges and declines of every order.</summary>
    Task<PaymentLedger> GetLedger();
}
