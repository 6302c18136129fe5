using Orleans.Concurrency;

namespace Immortals.Orleans.Waits;

/// <summary>
/// Receives signals for an immortal grain, installed on every grain as a grain extension. Senders use
/// <see cref="ImmortalSignals.SendAsync{T}"/> instead of calling it.
/// </summary>
public interface IImmortalSignalExtension : IGrainExtension
{
    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="signalId"/> and returns once a stored checkpoint of the
    /// grain contains it. A repeat with an identical value succeeds; another value fails with
    /// <see cref="ImmortalSignalConflictException"/>.
    /// </summary>
    /// <param name="signalId">Correlation id of the signal.</param>
    /// <param name="value">The value, serializable by Orleans.</param>
    [AlwaysInterleave]
    Task DeliverSignal(string signalId, object? value);
}
