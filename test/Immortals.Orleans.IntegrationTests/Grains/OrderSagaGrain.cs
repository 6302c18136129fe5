namespace Immortals.Orleans.IntegrationTests.Grains;

public sealed class OrderSagaGrain : Grain, IOrderSagaGrain, IImmortalGrain
{
    public const int CompensationGate = 100;

    public async Task<string> PlaceOrder(string orderId, string gateKey)
    {
        var journal = "journal-" + orderId;
        var stock = GrainFactory.GetGrain<IOrderStepGrain>("stock-" + orderId);
        var payment = GrainFactory.GetGrain<IOrderStepGrain>("payment-" + orderId);
        var shipping = GrainFactory.GetGrain<IOrderStepGrain>("shipping-" + orderId);
        var gate = GrainFactory.GetGrain<IGateGrain>(0);
        try
        {
            await stock.Perform(journal, "stock:reserve", fail: false);
            await payment.Perform(journal, "payment:charge", fail: false);
            await shipping.Perform(journal, "shipping:ship", fail: true);
            return "shipped";
        }
        catch (InvalidOperationException exception)
        {
            await gate.Pass(gateKey, 1);
            await payment.Perform(journal, "payment:refund", fail: false);
            await gate.Pass(gateKey, 2);
            await stock.Perform(journal, "stock:release", fail: false);
            return "compensated: " + exception.Message;
        }
    }

    public async Task<int> Process(string orderId, string gateKey, int steps, CancellationToken cancellationToken)
    {
        var journal = "journal-" + orderId;
        var worker = GrainFactory.GetGrain<IOrderStepGrain>("work-" + orderId);
        var gate = GrainFactory.GetGrain<IGateGrain>(0);
        var done = 0;
        try
        {
            for (var step = 1; step <= steps; step++)
            {
                await worker.Perform(journal, $"work:{step}", fail: false);
                done = step;
                await gate.Pass(gateKey, step);
                cancellationToken.ThrowIfCancellationRequested();
            }

            return done;
        }
        catch (OperationCanceledException)
        {
            await worker.Perform(journal, $"work:undo-{done}", fail: false);
            await gate.Pass(gateKey, CompensationGate);
            await worker.Perform(journal, "work:compensated", fail: false);
            throw;
        }
    }

    public async Task<int> DelayThenPerform(
        string orderId,
        string gateKey,
        int delayMilliseconds,
        CancellationToken cancellationToken)
    {
        _ = TestGates.PassAsync(gateKey, 1);
        await Task.Delay(delayMilliseconds, CancellationToken.None);
        var count = await GrainFactory.GetGrain<IOrderStepGrain>("work-" + orderId)
            .Perform("journal-" + orderId, "work:after-delay", fail: false);
        return cancellationToken.IsCancellationRequested ? -count : count;
    }

    public async Task<int> ThrowInnerCancellation(string gateKey, CancellationToken cancellationToken)
    {
        await GrainFactory.GetGrain<IGateGrain>(0).Pass(gateKey, 1);
        using var inner = new CancellationTokenSource();
        await inner.CancelAsync();
        inner.Token.ThrowIfCancellationRequested();
        return cancellationToken.IsCancellationRequested ? 1 : 0;
    }
}
