using Immortals.Orleans.Waits;

namespace Immortals.Orleans;

/// <summary>
/// Durable delays for methods of immortal grains. The due time is stored in the grain's checkpoint, so a method
/// suspended at the delay survives silo failures and resumes once, at or after the due time.
/// </summary>
/// <remarks>
/// Await these methods directly in a grain method of a class that implements <see cref="IImmortalGrain"/>, on the
/// grain's scheduler. Time comes from the silo's <see cref="TimeProvider"/> service (<see cref="TimeProvider.System"/>
/// when none is registered). A plain <see cref="Task.Delay(TimeSpan)"/> cannot be checkpointed: a method suspended
/// at one when a checkpoint is taken fails with <see cref="ImmortalCheckpointException"/>.
/// </remarks>
public static class ImmortalTime
{
    private const string DelayName = $"{nameof(ImmortalTime)}.{nameof(Delay)}";
    private const string DelayUntilName = $"{nameof(ImmortalTime)}.{nameof(DelayUntil)}";

    /// <summary>Waits for <paramref name="delay"/>, durably.</summary>
    /// <param name="delay">Time to wait; zero completes at once.</param>
    /// <returns>A task that completes once the delay has passed, also after a recovery on another silo.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task Delay(TimeSpan delay) => Delay(delay, CancellationToken.None);

    /// <summary>Waits for <paramref name="delay"/>, durably, until the method's request is canceled.</summary>
    /// <param name="delay">Time to wait; zero completes at once.</param>
    /// <param name="cancellationToken">
    /// The <see cref="CancellationToken"/> parameter of the running grain method, which
    /// <see cref="ImmortalRequests.CancelAsync"/> cancels, or <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>
    /// A task that completes once the delay has passed, also after a recovery on another silo, or is canceled when
    /// the method's request is canceled first. The cancellation is stored like the due time.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="cancellationToken"/> is another token than the method's own, whose cancellation a checkpoint
    /// could not store.
    /// </exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return ImmortalWaitsAccessor.Current(DelayName).DelayAsync(delay, cancellationToken, DelayName);
    }

    /// <summary>Waits until <paramref name="dueTime"/>, durably.</summary>
    /// <param name="dueTime">Point in time to wait for; a time in the past completes at once.</param>
    /// <returns>
    /// A task that completes once the clock reaches the due time, also after a recovery on another silo.
    /// </returns>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task DelayUntil(DateTimeOffset dueTime) => DelayUntil(dueTime, CancellationToken.None);

    /// <summary>Waits until <paramref name="dueTime"/>, durably, until the method's request is canceled.</summary>
    /// <param name="dueTime">Point in time to wait for; a time in the past completes at once.</param>
    /// <param name="cancellationToken">
    /// The <see cref="CancellationToken"/> parameter of the running grain method, which
    /// <see cref="ImmortalRequests.CancelAsync"/> cancels, or <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>
    /// A task that completes once the clock reaches the due time, also after a recovery on another silo, or is
    /// canceled when the method's request is canceled first.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="cancellationToken"/> is another token than the method's own.
    /// </exception>
    /// <exception cref="InvalidOperationException">The caller is not a method of an immortal grain.</exception>
    public static Task DelayUntil(DateTimeOffset dueTime, CancellationToken cancellationToken) =>
        ImmortalWaitsAccessor.Current(DelayUntilName).DelayUntilAsync(dueTime, cancellationToken, DelayUntilName);
}
