namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>An immortal order saga: steps through immortal services, compensated in reverse order on failure.</summary>
public interface IOrderSagaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves stock, charges the payment and ships, where shipping fails. The catch block then refunds the payment
    /// and releases the stock, passing test gate 1 before the refund and gate 2 between the two compensations.
    /// Journal entries go to <c>journal-{orderId}</c>.
    /// </summary>
    Task<string> PlaceOrder(string orderId, string gateKey);

    /// <summary>
    /// Performs <paramref name="steps"/> work steps, passing test gate i after step i and checking
    /// <paramref name="cancellationToken"/> after each gate. When canceled, undoes the last step, passes gate 100,
    /// records the end of the compensation and throws the <see cref="OperationCanceledException"/> again.
    /// </summary>
    Task<int> Process(string orderId, string gateKey, int steps, CancellationToken cancellationToken);

    /// <summary>
    /// Passes test gate 1, then throws the <see cref="OperationCanceledException"/> of a token source of its own,
    /// whether or not <paramref name="cancellationToken"/> was canceled.
    /// </summary>
    Task<int> ThrowInnerCancellation(string gateKey, CancellationToken cancellationToken);

    /// <summary>
    /// Marks test gate 1 as reached without waiting for it and without a grain call, so that nothing is checkpointed,
    /// waits <paramref name="delayMilliseconds"/> with <c>Task.Delay</c>, then performs one work step. Returns the
    /// journal count, negated when <paramref name="cancellationToken"/> was canceled.
    /// </summary>
    Task<int> DelayThenPerform(
        string orderId,
        string gateKey,
        int delayMilliseconds,
        CancellationToken cancellationToken);
}
