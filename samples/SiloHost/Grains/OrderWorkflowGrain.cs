using Immortals.Orleans;
using Orleans.Placement;
using SiloHost.Diagnostics;

namespace SiloHost.Grains;

/// <summary>
/// An immortal order workflow. Its method survives the death of its silo at any await: it resumes on another silo
/// with its locals, including the reservation task it started before charging the payment.
/// </summary>
/// <remarks>Random placement spreads the workflows over all silos, so each silo usually runs some of them.</remarks>
[RandomPlacement]
public sealed class OrderWorkflowGrain(OrderBoard board) : Grain, IOrderWorkflowGrain, IImmortalGrain
{
    [NotCheckpointed]
    private readonly OrderBoard _board = board;

    private OrderStage _stage;

    /// <summary>Reports a workflow that recovered on this silo to the silo's order board.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_stage != OrderStage.None)
        {
            _board.SetStage(this.GetPrimaryKeyString(), _stage);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<OrderOutcome> Place(OrderRequest order)
    {
        var inventory = GrainFactory.GetGrain<IInventoryGrain>(order.Sku);
        Enter(OrderStage.Charging);

        // The reservation runs while the payment is charged. The task stays in a local until it is awaited below.
        var reservation = inventory.Reserve(order.OrderId, order.Quantity);
        try
        {
            await GrainFactory.GetGrain<IPaymentGrain>(order.CustomerId)
                .Charge(order.OrderId, order.CardNumber, order.AmountCents);
        }
        catch (PaymentDeclinedException declined)
        {
            Enter(OrderStage.Compensating);
            await reservation;
            await inventory.Release(order.OrderId);
            return Finish(order, OrderStage.Cancelled, trackingNumber: null, declined.Message);
        }

        await reservation;
        Enter(OrderStage.Shipping);
        var trackingNumber = await GrainFactory.GetGrain<IShipmentGrain>(order.OrderId).Book(order.Sku, order.Quantity);
        return Finish(order, OrderStage.Shipped, trackingNumber, cancelReason: null);
    }

    private void Enter(OrderStage stage)
    {
        _stage = stage;
        _board.SetStage(this.GetPrimaryKeyString(), stage);
    }

    private OrderOutcome Finish(OrderRequest order, OrderStage stage, string? trackingNumber, string? cancelReason)
    {
        Enter(stage);
        return new OrderOutcome
        {
            OrderId = order.OrderId,
            Stage = stage,
            TrackingNumber = trackingNumber,
            CancelReason = cancelReason,
            FinishedOnSilo = RuntimeIdentity,
        };
    }
}
