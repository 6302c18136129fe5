using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// The wake-up registry: grains running methods started by clients or ordinary grains, kept in the checkpoint
/// store as a fixed number of shard records. After a silo failure one silo reads it and wakes every listed grain.
/// Woken grains send their open calls again, and that wakes their callees in turn.
/// </summary>
/// <remarks>
/// Only the sweep removes entries, and only with the ETag of the shard as read before it asked the grains, so an
/// entry written by a grain during the sweep survives it. Registrations of one silo are grouped per shard by a
/// <see cref="RegistryShardWriter"/>.
/// </remarks>
internal sealed class WakeRegistry
{
    /// <summary>Shards swept at the same time.</summary>
    internal const int SweptShardsInFlight = 4;

    /// <summary>Wake-up calls in flight per swept shard.</summary>
    internal const int WakesInFlightPerShard = 16;

    /// <summary>
    /// Rounds of wake-up calls per sweep for a grain whose call fails. Calls made while a silo dies or just after it
    /// was declared dead can fail, and a call after a pause then recovers the grain instead of the next sweep.
    /// </summary>
    internal const int WakeRounds = 3;

    /// <summary>Pause before a sweep calls the grains whose wake-up failed again.</summary>
    internal static readonly TimeSpan WakeRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ImmortalRuntime _runtime;
    private readonly RegistryShardWriter[] _writers;

    public WakeRegistry(ImmortalRuntime runtime)
    {
        _runtime = runtime;
        _writers = CreateWriters(
            runtime.Options.RegistryShards,
            () => runtime.Storage,
            runtime.TimeProvider,
            runtime.Logger,
            runtime.Options.StorageRetryDelay);
    }

    /// <summary>Creates the writers of a registry with <paramref name="shards"/> shards.</summary>
    internal static RegistryShardWriter[] CreateWriters(
        int shards,
        Func<IGrainStorage> storage,
        TimeProvider timeProvider,
        ILogger logger,
        TimeSpan retryDelay) =>
        [.. Enumerable.Range(0, shards)
            .Select(shard => new RegistryShardWriter(shard, storage, timeProvider, logger, retryDelay))];

    /// <summary>
    /// Writes a fresh stamp for a grain, retrying conflicts and storage failures until it succeeds, the attempts run
    /// out or <paramref name="abandon"/> returns <see langword="true"/>. Returns whether the stamp was written.
    /// </summary>
    public Task<bool> RegisterAsync(GrainId grainId, Func<bool> abandon) =>
        WriterOf(_writers, grainId).EnqueueAsync(new RegistryRequest(grainId, writeIfListed: true, abandon));

    /// <summary>
    /// Makes sure the registry lists a recovered grain whose stored checkpoint contains methods started by clients or
    /// ordinary grains, or pending delays. Writes only when the shard does not list the grain.
    /// </summary>
    /// <remarks>
    /// Skipping the write is safe because the stored checkpoint was written after a registration of the grain, and
    /// only a sweep removes entries. A sweep removes one only when the grain reported no such work and the shard was
    /// not written since the sweep read it. The recovered grain reports that it has work, and an earlier activation
    /// that reported otherwise had to register again before storing new work, which changed the ETag.
    /// </remarks>
    public Task<bool> EnsureRegisteredAsync(GrainId grainId, Func<bool> abandon) =>
        WriterOf(_writers, grainId).EnqueueAsync(new RegistryRequest(grainId, writeIfListed: false, abandon));

    /// <summary>
    /// Wakes every registered grain and removes the grains whose stored checkpoint contains no such method any more.
    /// </summary>
    public async Task SweepAsync(string reason, CancellationToken cancellationToken)
    {
        var total = 0;
        await Parallel.ForEachAsync(
            _writers,
            new ParallelOptions { MaxDegreeOfParallelism = SweptShardsInFlight, CancellationToken = cancellationToken },
            async (writer, token) =>
            {
                var woken = await SweepShardAsync(writer, token);
                Interlocked.Add(ref total, woken);
            });
        _runtime.Logger.WakeScan(reason, total);
    }

    /// <summary>Returns the writer of the shard that contains a grain's entry.</summary>
    internal static RegistryShardWriter WriterOf(RegistryShardWriter[] writers, GrainId grainId) =>
        writers[(int)(grainId.GetUniformHashCode() % (uint)writers.Length)];

    private async Task<int> SweepShardAsync(RegistryShardWriter writer, CancellationToken cancellationToken)
    {
        var shard = Array.IndexOf(_writers, writer);
        try
        {
            var state = await writer.ReadAsync();
            if (state.State is not { Grains.Count: > 0 } registry)
            {
                return 0;
            }

            var listed = registry.Grains.Keys.ToList();
            var finished = await WakeAllAsync(listed, cancellationToken);
            var removed = await RemoveAsync(writer, state, registry, finished);
            _runtime.Logger.ShardSwept(shard, listed.Count, removed);
            return listed.Count;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _runtime.Logger.SweepFailed(shard, exception);
            return 0;
        }
    }

    /// <summary>
    /// Wakes grains with a bounded number of calls in flight and returns those without work. Grains whose wake-up
    /// failed are tried again after <see cref="WakeRetryDelay"/>, up to <see cref="WakeRounds"/> times in all.
    /// </summary>
    private async Task<List<GrainId>> WakeAllAsync(List<GrainId> grainIds, CancellationToken cancellationToken)
    {
        var finished = new List<GrainId>();
        var pending = grainIds;
        for (var round = 1; ; round++)
        {
            var failed = new List<GrainId>();
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions
                {
                    MaxDegreeOfParallelism = WakesInFlightPerShard,
                    CancellationToken = cancellationToken,
                },
                async (grainId, _) =>
                {
                    var busy = await WakeAsync(grainId);
                    var list = busy switch
                    {
                        false => finished,
                        null => failed,
                        _ => null,
                    };
                    if (list is not null)
                    {
                        lock (list)
                        {
                            list.Add(grainId);
                        }
                    }
                });
            if (failed.Count == 0 || round == WakeRounds)
            {
                return finished;
            }

            await Task.Delay(WakeRetryDelay, _runtime.TimeProvider, cancellationToken);
            pending = failed;
        }
    }

    /// <summary>
    /// Calls a grain's <c>Wake</c>. Returns whether it has work, or <see langword="null"/> when the call failed.
    /// </summary>
    private async Task<bool?> WakeAsync(GrainId grainId)
    {
        RegistryMetrics.Wakes.Add(1);
        try
        {
            return await _runtime.GrainFactory.GetGrain(grainId).AsReference<IImmortalDeliveryExtension>().Wake();
        }
        catch (Exception exception)
        {
            RegistryMetrics.WakeFailures.Add(1);
            _runtime.Logger.WakeFailed(grainId.ToString(), exception);
            return null;
        }
    }

    /// <summary>
    /// Removes the entries of finished grains with the ETag read before the wake-ups. A registration written
    /// meanwhile makes the write fail, and the next sweep looks again.
    /// </summary>
    private async Task<int> RemoveAsync(
        RegistryShardWriter writer,
        GrainState<RegistryShard> state,
        RegistryShard registry,
        List<GrainId> finished)
    {
        if (finished.Count == 0)
        {
            return 0;
        }

        foreach (var grainId in finished)
        {
            registry.Grains.Remove(grainId);
        }

        try
        {
            await _runtime.Storage.WriteStateAsync(RegistryShardWriter.StateName, writer.ShardId, state);
        }
        catch (InconsistentStateException)
        {
            _runtime.Logger.SweepRemovalConflict(Array.IndexOf(_writers, writer));
            return 0;
        }

        RegistryMetrics.EntriesRemoved.Add(finished.Count);
        return finished.Count;
    }
}
