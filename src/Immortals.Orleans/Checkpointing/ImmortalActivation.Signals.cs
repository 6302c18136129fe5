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

    public Task<T> WaitForSignalAsync<T>(
        string signalId,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        string apiName)
    {
        EnterWait(apiName);
        var canceledWith = CancelingRoot(cancellationToken, apiName);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (TryGetSignal(signalId, out var signal) && signal.Stored.Task.IsCompletedSuccessfully)
        {
            Consume(signal);
            var outcome = SignalOutcome(signalId, ReadSignalValue(signal), typeof(T));
            return outcome.Exception is null
                ? Task.FromResult(outcome.Value is null ? default! : (T)outcome.Value)
                : Task.FromException<T>(outcome.Exception);
        }

        var record = new WaitRecord { Kind = WaitKind.Signal, SignalId = signalId };
        if (timeout is { } limit)
        {
            record.HasDeadline = true;
            record.DueTime = _runtime.WaitTimeProvider.GetUtcNow() + limit;
        }

        var wait = AddWait(record, typeof(T), canceledWith);
        _logger.SignalWaitStarted(GrainKey, signalId, wait.LeafId);
        return (Task<T>)wait.Leaf.Task;
    }

    /// <summary>
    /// Stores a signal. Returns once a stored checkpoint contains it; only then do the methods waiting for it resume
    /// (see <see cref="CommitWaits"/>), so no method runs on a value that may not be stored. The first stored value
    /// for an id is final: a repeat with identical serialized bytes succeeds, another value is rejected. A repeat that
    /// arrives while the first value is not yet stored waits for that write first.
    /// </summary>
    public async Task DeliverSignalAsync(string signalId, object? value)
    {
        ThrowIfClosed();
        ArgumentException.ThrowIfNullOrEmpty(signalId);
        var bytes = _runtime.Serializer.SerializeToArray(value);
        if (TryGetSignal(signalId, out var existing))
        {
            RequestCheckpoint();
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

        EnsureSignalFits(signalId, bytes.Length);
        var signal = new SignalRecord
        {
            SignalId = signalId,
            Value = bytes,
            DeliveredAt = _runtime.WaitTimeProvider.GetUtcNow(),
        };
        _signals[signalId] = signal;
        using var closing = _stopping.Token.Register(() => signal.Stored.TrySetException(new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed before it stored signal '{signalId}'; send the "
            + "signal again.")));
        RequestCheckpoint();
        await signal.Stored.Task;
        _logger.SignalStored(GrainKey, signalId);
    }

    /// <summary>Rejects a new signal that would exceed the size or count limit of the grain's signals.</summary>
    private void EnsureSignalFits(string signalId, int valueBytes)
    {
        var options = _runtime.Options;
        if (valueBytes > options.MaxSignalBytes)
        {
            throw new ArgumentException(
                $"The value of signal '{signalId}' for immortal grain {GrainKey} serializes to {valueBytes} bytes, "
                + $"more than {nameof(options.MaxSignalBytes)} ({options.MaxSignalBytes}). Send a smaller value, for "
                + "example a key of data stored elsewhere.",
                "value");
        }

        ExpireSignals();
        if (_signals.Count >= options.MaxSignalsPerGrain)
        {
            throw new InvalidOperationException(
                $"Immortal grain {GrainKey} already keeps {_signals.Count} signals, the maximum "
                + $"({nameof(options.MaxSignalsPerGrain)}); signal '{signalId}' is rejected. Signals are kept until a "
                + $"method receives them and then for {nameof(options.SignalRetention)}.");
        }
    }

    /// <summary>Resumes the methods waiting for a signal that a stored checkpoint now contains.</summary>
    private void CompleteSignalWaits(SignalRecord signal)
    {
        var waiting = _waits.Values
            .Where(wait => wait.Record.Kind == WaitKind.Signal && wait.Record.SignalId == signal.SignalId
                && !wait.Completed)
            .ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        Consume(signal);
        foreach (var wait in waiting)
        {
            CompleteWait(wait, SignalOutcome(signal.SignalId, ReadSignalValue(signal), wait.ResultType));
        }

        _logger.SignalReceived(GrainKey, signal.SignalId, waiting.Count);
    }

    /// <summary>Starts the retention period of a signal when a method first receives its value.</summary>
    private void Consume(SignalRecord signal) =>
        signal.ExpiresAt ??= _runtime.WaitTimeProvider.GetUtcNow() + _runtime.Options.SignalRetention;

    /// <summary>Returns a signal that has not expired.</summary>
    private bool TryGetSignal(string signalId, out SignalRecord signal) =>
        _signals.TryGetValue(signalId, out signal!)
        && (signal.ExpiresAt is not { } expiresAt || expiresAt > _runtime.WaitTimeProvider.GetUtcNow());

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

    /// <summary>Removes signals whose retention period, counted from their first receipt, has passed.</summary>
    private void ExpireSignals()
    {
        var now = _runtime.WaitTimeProvider.GetUtcNow();
        foreach (var expired in _signals.Values.Where(signal => signal.ExpiresAt <= now).ToList())
        {
            _signals.Remove(expired.SignalId);
            _logger.SignalExpired(GrainKey, expired.SignalId);
        }
    }
}
