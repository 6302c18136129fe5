using SiloHost.Grains;

namespace SiloHost.Demo;

/// <summary>Creates the orders of a demo run.</summary>
public static class OrderCatalog
{
    private const string GoodCard = "4242-4242-4242-4242";
    private static readonly string[] Products = ["mug", "lamp", "chair", "desk"];

    /// <summary>
    /// Creates <paramref name="count"/> orders whose grain keys start with <paramref name="runId"/>. Every eighth
    /// order, starting with the sixth, pays with <see cref="PaymentGrain.DeclinedCard"/>.
    /// </summary>
    public static List<OrderRequest> Create(string runId, int count) =>
    [
        .. Enumerable.Range(1, count).Select(i => new OrderRequest
        {
            OrderId = $"{runId}-order-{i:D3}",
            Sku = $"{runId}-{Products[i % Products.Length]}",
            Quantity = 1 + i % 3,
            CustomerId = $"{runId}-customer-{i % 6}",
            CardNumber = i % 8 == 6 ? PaymentGrain.DeclinedCard : GoodCard,
            AmountCents = 1_500 + 125 * i,
        }),
    ];

    /// <summary>Whether an order's payment is declined.</summary>
    public static bool IsDeclined(OrderRequest order) => order.CardNumber == PaymentGrain.DeclinedCard;
}
