using SiloHost.Grains;

namespace SiloHost.Demo;

/// <summary>
/// Reads the committed state of the inventory, payment and shipment grains and compares it with what the orders
/// require: a shipped order has one reservation, one charge and one shipment; a declined order has one reservation,
/// one decline and one release.
/// </summary>
public static class EffectCheck
{
    /// <summary>Reads every ledger and returns the effects with their deviations.</summary>
    public static async Task<EffectReport> ReadAsync(IGrainFactory grains, IReadOnlyList<OrderRequest> orders)
    {
        var inventories = new Dictionary<string, InventoryLedger>();
        foreach (var sku in orders.Select(order => order.Sku).Distinct())
        {
            inventories[sku] = await grains.GetGrain<IInventoryGrain>(sku).GetLedger();
        }

        var payments = new Dictionary<string, PaymentLedger>();
        foreach (var customer in orders.Select(order => order.CustomerId).Distinct())
        {
            payments[customer] = await grains.GetGrain<IPaymentGrain>(customer).GetLedger();
        }

        var report = new EffectReport();
        foreach (var order in orders)
        {
            var shipment = await grains.GetGrain<IShipmentGrain>(order.OrderId).GetRecord();
            CheckOrder(report, order, inventories[order.Sku], payments[order.CustomerId], shipment);
        }

        foreach (var (sku, ledger) in inventories)
        {
            var expected = orders
                .Where(order => order.Sku == sku && !OrderCatalog.IsDeclined(order))
                .Sum(order => order.Quantity);
            Expect(report, $"{sku}: units held", expected, ledger.UnitsHeld);
        }

        foreach (var (customer, ledger) in payments)
        {
            var expected = orders.Where(order => order.CustomerId == customer && !OrderCatalog.IsDeclined(order))
                .Sum(order => order.AmountCents);
            Expect(report, $"{customer}: cents charged", expected, ledger.ChargedCents);
        }

        return report;
    }

    private static void CheckOrder(
        EffectReport report,
        OrderRequest order,
        InventoryLedger inventory,
        PaymentLedger payment,
        ShipmentRecord shipment)
    {
        var declined = OrderCatalog.IsDeclined(order);
        var reservations = inventory.Reservations.GetValueOrDefault(order.OrderId);
        var releases = inventory.Releases.GetValueOrDefault(order.OrderId);
        var charges = payment.Charges.GetValueOrDefault(order.OrderId);
        var declines = payment.Declines.GetValueOrDefault(order.OrderId);
        report.Reservations += reservations;
        report.Releases += releases;
        report.Charges += charges;
        report.Declines += declines;
        report.Shipments += shipment.Bookings;

        Expect(report, $"{order.OrderId}: reservations", 1, reservations);
        Expect(report, $"{order.OrderId}: releases", declined ? 1 : 0, releases);
        Expect(report, $"{order.OrderId}: charges", declined ? 0 : 1, charges);
        Expect(report, $"{order.OrderId}: declines", declined ? 1 : 0, declines);
        Expect(report, $"{order.OrderId}: shipments", declined ? 0 : 1, shipment.Bookings);
    }

    private static void Expect(EffectReport report, string what, long expected, long actual)
    {
        if (expected != actual)
        {
            report.Problems.Add($"{what}: expected {expected}, found {actual}");
        }
    }
}
