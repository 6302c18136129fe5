using Immortals.Orleans;
namespace SiloHost.Grains;

/// <summary>An immortal payment account that counts charges and declines per order.</summary>
public sealed class PaymentGrain : Grain, IPaymentGrain, IImmortalGrain
{
    /// <summary>A card number that is always declined.</summary>
    public const string DeclinedCard = "4000-0000-0000-0002";

    private readonly Dictionary<string, int> _charges = [];
    private readonly Dictionary<string, int> _declines = [];
    private long _chargedCents;

    /// <inheritdoc />
    public Task Charge(string orderId, string cardNumber, long amountCents)
    {
        if (cardNumber == DeclinedCard)
        {
            // The decline is committed state too: the exception is the call's result, stored with the grain.
            _declines[orderId] = _declines.GetValueOrDefault(orderId) + 1;
            throw new PaymentDeclinedException($"Card ending {cardNumber[^4..]} was declined for order {orderId}.");
        }

        _charges[orderId] = _charges.GetValueOrDefault(orderId) + 1;
        _chargedCents += amountCents;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<PaymentLedger> GetLedger() => Task.FromResult(new PaymentLedger
    {
        Charges = new Dictionary<string, int>(_charges),
        Declines = new Dictionary<string, int>(_declines),
        ChargedCents = _chargedCents,
    });
}
