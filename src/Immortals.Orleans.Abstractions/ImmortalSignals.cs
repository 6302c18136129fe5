using Immortals.Orleans.Waits;

namespace Immortals.Orleans;

/// <summary>
/// Signals: values that a client or any grain delivers to an immortal grain under a correlation id, and that a
/// method of that grain awaits, for example a human approval.
/// </summary>
/// <remarks>
/// A delivered signal is stored in the grain's checkpoint before <see cref="SendAsync{T}"/> returns. The first value
/// stored for an id is final: a repeat with an identical value succeeds, another value fails with
/// <see cref="ImmortalSignalConflictException"/>. A signal that arrives before a method waits for it is kept and
/// completes the wait at once. Signals are kept for <c>ImmortalOptions.SignalRetention</c> after their delivery.
/// </remarks>
public static class ImmortalSignals
{
    /// <summary>Waits for the signal <paramref name="signalId"/> of the current immortal grain.</summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <returns>
    /// A task that completes with the delivered value; at once when the signal is already stored. No Orleans request
    /// stays open while it waits, and the wait survives silo failures.
    /// </returns>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task<T> WaitAsync<T>(string signalId) => WaitAsync<T>(signalId, CancellationToken.None);

    /// <summary>
    /// Waits for the signal <paramref name="signalId"/> of the current immortal grain until the method's request is
    /// canceled.
    /// </summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <param name="cancellationToken">
    /// The <see cref="CancellationToken"/> parameter of the running grain method, which
    /// <see cref="ImmortalRequests.CancelAsync"/> cancels, or <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>
    /// A task that completes with the delivered value, or is canceled when the method's request is canceled first. A
    /// signal that arrives after the cancellation is still stored, and a later wait for the same id receives it.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="cancellationToken"/> is another token than the method's own, whose cancellation a checkpoint
    /// could not store.
    /// </exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task<T> WaitAsync<T>(string signalId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(signalId);
        const string apiName = $"{nameof(ImmortalSignals)}.{nameof(WaitAsync)}";
        return ImmortalWaitsAccessor.Current(apiName)
            .WaitForSignalAsync<T>(signalId, null, cancellationToken, apiName);
    }

    /// <summary>
    /// Waits for the signal <paramref name="signalId"/> of the current immortal grain for at most
    /// <paramref name="timeout"/>, durably: the deadline is stored with the wait, like the due time of a delay.
    /// </summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <param name="timeout">Longest wait, on the clock of <see cref="ImmortalTime"/>.</param>
    /// <returns>
    /// A task that completes with the delivered value, or fails with <see cref="TimeoutException"/> when the timeout
    /// passes first. A signal that arrives after the timeout is still stored, and a later wait for the same id receives it.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task<T> WaitAsync<T>(string signalId, TimeSpan timeout) =>
        WaitAsync<T>(signalId, timeout, CancellationToken.None);

    /// <summary>
    /// Waits for the signal <paramref name="signalId"/> of the current immortal grain for at most
    /// <paramref name="timeout"/>, durably, until the method's request is canceled.
    /// </summary>
    /// <typeparam name="T">Type of the value.</typeparam>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <param name="timeout">Longest wait, on the clock of <see cref="ImmortalTime"/>.</param>
    /// <param name="cancellationToken">
    /// The <see cref="CancellationToken"/> parameter of the running grain method, or
    /// <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>
    /// A task that completes with the delivered value, fails with <see cref="TimeoutException"/> when the timeout
    /// passes first, or is canceled when the method's request is canceled first.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="cancellationToken"/> is another token than the method's own.
    /// </exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task<T> WaitAsync<T>(string signalId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(signalId);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        const string apiName = $"{nameof(ImmortalSignals)}.{nameof(WaitAsync)}";
        return ImmortalWaitsAccessor.Current(apiName)
            .WaitForSignalAsync<T>(signalId, timeout, cancellationToken, apiName);
    }

    /// <summary>
    /// Delivers <paramref name="value"/> to <paramref name="grain"/> under <paramref name="signalId"/>.
    /// </summary>
    /// <typeparam name="T">Type of the value, serializable by Orleans.</typeparam>
    /// <param name="grain">Reference to an immortal grain.</param>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <param name="value">The value.</param>
    /// <returns>
    /// A task that completes once a stored checkpoint of the grain contains the signal. When it fails for another
    /// reason than a conflict, for example because the grain's silo died, send the same value again: an identical
    /// repeat succeeds.
    /// </returns>
    /// <exception cref="ImmortalSignalConflictException">The grain stores another value under the id.</exception>
    public static Task SendAsync<T>(IAddressable grain, string signalId, T value)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentException.ThrowIfNullOrEmpty(signalId);
        return grain.AsReference<IImmortalSignalExtension>().DeliverSignal(signalId, value);
    }
}
