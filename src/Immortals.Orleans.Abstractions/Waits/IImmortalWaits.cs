namespace Immortals.Orleans.Waits;

/// <summary>
/// Durable waits of the immortal grain activation whose method runs on the current flow. The runtime implements it;
/// <see cref="ImmortalTime"/> and <see cref="ImmortalSignals"/> reach it through <see cref="ImmortalWaitsAccessor"/>.
/// </summary>
internal interface IImmortalWaits
{
    /// <summary>
    /// Returns a task that completes once the provider's clock reaches <paramref name="dueTime"/>, or is canceled
    /// with the method's <paramref name="cancellationToken"/>.
    /// </summary>
    Task DelayUntilAsync(DateTimeOffset dueTime, CancellationToken cancellationToken, string apiName);

    /// <summary>
    /// Returns a task that completes after <paramref name="delay"/> on the time provider's clock, or is canceled with
    /// the method's <paramref name="cancellationToken"/>.
    /// </summary>
    Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken, string apiName);

    /// <summary>
    /// Returns a task that completes with the value delivered to this grain under <paramref name="signalId"/>, fails
    /// with <see cref="TimeoutException"/> once <paramref name="timeout"/> has passed without it, or is canceled with
    /// the method's <paramref name="cancellationToken"/>.
    /// </summary>
    Task<T> WaitForSignalAsync<T>(
        string signalId,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        string apiName);
}
