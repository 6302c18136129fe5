using Orleans.Runtime;
using Orleans.Storage;

namespace Immortals.Orleans.Tests.Checkpointing;

/// <summary>
/// Passes every operation to a real checkpoint store and counts the writes. A test can hold writes before they
/// reach the store, to observe callers while a write is pending, and can make writes fail.
/// </summary>
internal sealed class HeldWriteStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _release;
    private TaskCompletionSource _writeHeld = NewSignal();
    private int _writes;
    private int _conflicts;
    private int _failuresToInject;

    /// <summary>Writes that reached the store and succeeded.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Writes that the store rejected because of an ETag conflict.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Makes the next writes wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _release = NewSignal();
            _writeHeld = NewSignal();
        }
    }

    /// <summary>Completes when a write waits at the hold.</summary>
    public Task WriteHeld
    {
        get
        {
            lock (_gate)
            {
                return _writeHeld.Task;
            }
        }
    }

    /// <summary>Lets the held writes and every later write through.</summary>
    public void Release()
    {
        TaskCompletionSource? release;
        lock (_gate)
        {
            release = _release;
            _release = null;
        }

        release?.TrySetResult();
    }

    /// <summary>Makes the next <paramref name="count"/> writes fail with an I/O error.</summary>
    public void FailNextWrites(int count) => Volatile.Write(ref _failuresToInject, count);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Task? release;
        lock (_gate)
        {
            release = _release?.Task;
            if (release is not null)
            {
                _writeHeld.TrySetResult();
            }
        }

        if (release is not null)
        {
            await release;
        }

        if (Interlocked.Decrement(ref _failuresToInject) >= 0)
        {
            throw new IOException("Injected storage failure.");
        }

        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        catch (InconsistentStateException)
        {
            Interlocked.Increment(ref _conflicts);
            throw;
        }

        Interlocked.Increment(ref _writes);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
