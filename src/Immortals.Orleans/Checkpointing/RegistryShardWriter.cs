using Immortals.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Writes the registrations of one wake-up registry shard made on this silo. Registrations that arrive while a
/// write of the shard is under way wait and share the next read-modify-write. A silo so writes a shard once per
/// group of registrations instead of once per grain, and ETag conflicts come only from other silos and the sweep.
/// </summary>
/// <remarks>
/// A request completes only after a write that contains its entry succeeded (or, when it allows it, after a read that
/// lists the grain). A request stays queued across conflicts and storage failures until it is stored, its caller
/// abandons it or it failed <see cref="MaxAttempts"/> writes.
/// </remarks>
internal sealed class RegistryShardWriter(
    int shard,
    Func<IGrainStorage> storage,
    TimeProvider timeProvider,
    ILogger logger,
    TimeSpan retryDelay)
{
    /// <summary>Name of the registry's state in the checkpoint store.</summary>
    public const string StateName = "immortal-registry";

    /// <summary>Failed shard writes after which a request completes with <see langword="false"/>.</summary>
    public const int MaxAttempts = 50;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<RegistryRequest> _pending = [];
    private bool _writing;

    /// <summary>Grain id of the shard's record in the checkpoint store.</summary>
    public GrainId ShardId { get; } = IdOf(shard);

    public static GrainId IdOf(int shard) => GrainId.Create("immortals-registry", shard.ToString("D4"));

    /// <summary>Queues a request and starts the shard's write loop if it is idle.</summary>
    public Task<bool> EnqueueAsync(RegistryRequest request)
    {
        lock (_gate)
        {
            _pending.Add(request);
            if (_writing)
            {
                return request.Stored;
            }

            _writing = true;
        }

        // The loop serves the grains of many activations, so it runs on the thread pool rather than on the
        // scheduler of the activation that happened to start it.
        _ = Task.Run(WriteLoopAsync);
        return request.Stored;
    }

    public async Task<GrainState<RegistryShard>> ReadAsync()
    {
        var state = new GrainState<RegistryShard>();
        await storage().ReadStateAsync(StateName, ShardId, state);
        return state;
    }

    private async Task WriteLoopAsync()
    {
        var delay = retryDelay;
        while (TakeBatch() is { } batch)
        {
            switch (await WriteBatchAsync(batch))
            {
                case WriteOutcome.Stored:
                    delay = retryDelay;
                    break;
                case WriteOutcome.Conflict:
                    // Another silo or the sweep wrote the shard. Read it again after a short random pause.
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), timeProvider);
                    break;
                default:
                    await Task.Delay(delay, timeProvider);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                    break;
            }
        }
    }

    /// <summary>
    /// Completes the abandoned requests and returns the others, which stay queued until they complete. Returns
    /// <see langword="null"/> and stops the loop when none is left.
    /// </summary>
    private List<RegistryRequest>? TakeBatch()
    {
        lock (_gate)
        {
            foreach (var request in _pending.Where(request => request.Abandoned).ToList())
            {
                _pending.Remove(request);
                request.Complete(false);
            }

            if (_pending.Count == 0)
            {
                _writing = false;
                return null;
            }

            return [.. _pending];
        }
    }

    private async Task<WriteOutcome> WriteBatchAsync(List<RegistryRequest> batch)
    {
        var toWrite = new List<RegistryRequest>(batch.Count);
        var found = 0;
        try
        {
            var state = await ReadAsync();
            state.State ??= new RegistryShard();
            foreach (var request in batch)
            {
                if (!request.WriteIfListed && state.State.Grains.ContainsKey(request.GrainId))
                {
                    found++;
                    Finish(request, stored: true);
                    continue;
                }

                // A fresh stamp makes every write change the record's content, so each store gives it a new ETag
                // and a sweep that read the shard earlier cannot remove the entry.
                state.State.Grains[request.GrainId] = Guid.NewGuid();
                toWrite.Add(request);
            }

            RegistryMetrics.EntriesFound.Add(found);
            if (toWrite.Count == 0)
            {
                return WriteOutcome.Stored;
            }

            await storage().WriteStateAsync(StateName, ShardId, state);
        }
        catch (InconsistentStateException)
        {
            RegistryMetrics.Conflicts.Add(1);
            CountFailure(toWrite.Count > 0 ? toWrite : batch);
            return WriteOutcome.Conflict;
        }
        catch (Exception exception)
        {
            var failed = toWrite.Count > 0 ? toWrite : batch;
            logger.ShardWriteFailed(shard, failed.Count, failed.Max(request => request.FailedAttempts) + 1, exception);
            CountFailure(failed);
            return WriteOutcome.Failed;
        }

        RegistryMetrics.ShardWrites.Add(1);
        RegistryMetrics.EntriesWritten.Add(toWrite.Count);
        logger.ShardWritten(shard, toWrite.Count, found);
        foreach (var request in toWrite)
        {
            Finish(request, stored: true);
        }

        return WriteOutcome.Stored;
    }

    private void CountFailure(List<RegistryRequest> requests)
    {
        foreach (var request in requests)
        {
            request.FailedAttempts++;
            if (request.FailedAttempts >= MaxAttempts)
            {
                logger.RegistrationGaveUp(request.GrainId.ToString(), shard, request.FailedAttempts);
                Finish(request, stored: false);
            }
        }
    }

    private void Finish(RegistryRequest request, bool stored)
    {
        lock (_gate)
        {
            _pending.Remove(request);
        }

        request.Complete(stored);
    }

    private enum WriteOutcome
    {
        Stored,
        Conflict,
        Failed,
    }
}
