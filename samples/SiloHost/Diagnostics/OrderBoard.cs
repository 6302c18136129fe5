using System.Collections.Concurrent;
using SiloHost.Grains;

namespace SiloHost.Diagnostics;

/// <summary>
/// The order stages seen by one silo: workflows active here and bookings waiting at the carrier here. It feeds the
/// demo's progress display and is not part of any grain's state.
/// </summary>
public sealed class OrderBoard
{
    private readonly ConcurrentDictionary<string, OrderStage> _stages = new();
    private readonly ConcurrentDictionary<string, byte> _atCarrier = new();

    /// <summary>Records the stage of a workflow that runs on this silo.</summary>
    public void SetStage(string orderId, OrderStage stage) => _stages[orderId] = stage;

    /// <summary>Records that the carrier on this silo started booking an order's shipment.</summary>
    public void MarkAtCarrier(string orderId) => _atCarrier[orderId] = 0;

    /// <summary>Returns a copy of the workflow stages.</summary>
    public Dictionary<string, OrderStage> SnapshotStages() => new(_stages);

    /// <summary>Returns the orders whose booking started at the carrier on this silo.</summary>
    public List<string> SnapshotAtCarrier() => [.. _atCarrier.Keys];
}
