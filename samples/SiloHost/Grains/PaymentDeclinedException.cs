namespace SiloHost.Grains;

/// <summary>Raised by the payment grain when a card is declined.</summary>
[GenerateSerializer]
public sealed class PaymentDeclinedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public PaymentDeclinedException(string message)
        : base(message)
    {
    }
}
