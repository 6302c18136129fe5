using Immortals.Orleans;
namespace SiloHost.Grains;

/// <summary>
/// An immortal inventory. Each reservation changes the stock and is counted per order, so a reservation that ran
/// twice would show in the ledger.
/// </summary>
public sealed class InventoryGrain : Grain, IInventoryGrain, IImmortalGrain
{
    /// <summary>Units of every SKU before the first reservation.</summary>
    public const int InitialStock = 10_000;

    private readonly Dictionary<string, int> _reservations = [];
    private readonly Dictionary<string, int> _releases = [];
    private readonly Dictionary<string, int> _heldByOrder = [];
    private int _unitsHeld;

    /// <inheritdoc />
    public Task<int> Reserve(string orderId, int quantity)
    {
        if (quantity > InitialStock - _unitsHeld)
        {
            throw new InvalidOperationException(
                $"Only {InitialStock - _unitsHeld} units of {this.GetPrimaryKeyString()} are available, "
                + $"but order {orderId} needs {quantity}.");
        }

        _reservations[orderId] = _reservations.GetValueOrDefault(orderId) + 1;
        _heldByOrder[orderId] = _heldByOrder.GetValueOrDefault(orderId) + quantity;
        _unitsHeld += quantity;
        return Task.FromResult(InitialStock - _unitsHeld);
    }

    /// <inheritdoc />
    public Task Release(string orderId)
    {
        _releases[orderId] = _releases.GetValueOrDefault(orderId) + 1;
        if (_heldByOrder.Remove(orderId, out var held))
        {
            _unitsHeld -= held;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<InventoryLedger> GetLedger() => Task.FromResult(new InventoryLedger
    {
        Reservations = new Dictionary<string, int>(_reservations),
        Releases = new Dictionary<string, int>(_releases),
        UnitsHeld = _unitsHeld,
        UnitsAvailable = InitialStock - _unitsHeld,
    });
}
