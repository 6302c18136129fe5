using Immortals.Orleans.Calls;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Waits;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Signals: values delivered to the grain under an id, stored in its checkpoint, and awaited by its methods.
/// </summary>
internal sealed partial class ImmortalActivation
{
    private readonly Dictionary<string, SignalRecord> _signals = new(StringComparer.Ordinal);

    public Task<T> WaitForSignalAsync<T>(string signalId, string apiName)
    {
        EnterWait(apiName);
        if (TryGetSignal(signalId, out var signal))
        {
            var outcome = SignalOutcome(signalId, ReadSignalValue(signal), typeof(T));
            return outcome.Exception is null
                ? Task.FromResult(outcome.Value is null ? default! : (T)outcome.Value)
                : Task.FromException<T>(outcome.Exception);
        }

        var wait = AddWait(new WaitRecord { Kind = WaitKind.Signal, SignalId = signalId }, typeof(T));
        _logger.SignalWaitStarted(GrainKey, signalId, wait.LeafId);
        return (Task<T>)wait.Leaf.Task;
    }

    /// <summary>
    /// Stores a signal and completes the methods waiting for it. Returns once a stored checkpoint contains the
    /// signal. The first stored value for an id is final: a repeat with identical serialized bytes succeeds, another
    /// value is rejected. A repeat that arrives while the first value is not yet stored waits for that write first.
    /// </summary>
    public async Task DeliverSignalAsync(string signalId, object? value)
    {
        ThrowIfClosed();
        ArgumentException.ThrowIfNullOrEmpty(signalId);
        var bytes = _runtime.Serializer.SerializeToArray(value);
        if (TryGetSignal(signalId, out var existing))
        {
            await existing.Stored.Task;
            if (!existing.Value.AsSpan().SequenceEqual(bytes))
            {
                _logger.SignalConflict(GrainKey, signalId);
                throw new ImmortalSignalConflictException(
                    GrainKey,
                    signalId,
                    $"Immortal grain {GrainKey} already stores another value for signal '{signalId}'; the first "
                    + "value of a signal is final. Use a new signal id for a new value.");
            }

            _logger.SignalRepeated(GrainKey, signalId);
            return;
        }

        var now = _runtime.TimeProvider.GetUtcNow();
        var signal = new SignalRecord
        {
            SignalId = signalId,
            Value = bytes,
            DeliveredAt = now,
            ExpiresAt = now + _runtime.Options.SignalRetention,
        };
        _signals[signalId] = signal;
        var waiting = _waits.Values
            .Where(wait => wait.Record.SignalId == signalId && wait.Record.Kind == WaitKind.Signal && !wait.Completed)
            .ToList();
        foreach (var wait in waiting)
        {
            CompleteWait(wait, SignalOutcome(signalId, ReadSignalValue(signal), wait.ResultType));
        }

        var closing = _stopping.Token.Register(() => signal.Stored.TrySetException(new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed before it stored signal '{signalId}'; send the "
            + "signal again.")));
        RequestCheckpoint(() => signal.Stored.TrySetResult());
        try
        {
            await signal.Stored.Task;
        }
        finally
        {
            closing.Dispose();
        }

        _logger.SignalStored(GrainKey, signalId, waiting.Count);
    }

    /// <summary>Returns a signal that has not expired.</summary>
    private bool TryGetSignal(string signalId, out SignalRecord signal) =>
        _signals.TryGetValue(signalId, out signal!) && signal.ExpiresAt > _runtime.TimeProvider.GetUtcNow();

    private object? ReadSignalValue(SignalRecord signal) => _runtime.Serializer.Deserialize<object?>(signal.Value);

    /// <summary>Returns a signal's value for a wait of <paramref name="resultType"/>, or a type error.</summary>
    private CallOutcome SignalOutcome(string signalId, object? value, Type resultType)
    {
        var fits = value is null
            ? !resultType.IsValueType || Nullable.GetUnderlyingType(resultType) is not null
            : resultType.IsInstanceOfType(value);
        if (fits)
        {
            return new CallOutcome { Value = value };
        }

        return new CallOutcome
        {
            Exception = new InvalidCastException(
                $"Signal '{signalId}' of immortal grain {GrainKey} holds a value of type "
                + $"{value?.GetType().FullName ?? "null"}, but the method waits for {resultType.FullName}."),
        };
    }

    /// <summary>Removes signals older than <see cref="Hosting.ImmortalOptions.SignalRetention"/>.</summary>
    private void ExpireSignals()
    {
        var now = _runtime.TimeProvider.GetUtcNow();
        foreach (var expired in _signals.Values.Where(signal => signal.ExpiresAt <= now).ToList())
        {
            _signals.Remove(expired.SignalId);
            _logger.SignalExpired(GrainKey, expired.SignalId);
        }
    }
}
