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
/// entry written by a grain during the sweep survives it.
/// </remarks>
internal sealed class WakeRegistry(ImmortalRuntime runtime)
{
    private const string StateName = "immortal-registry";
    private const int MaxAttempts = 50;

    /// <summary>
    /// Writes a fresh stamp for a grain, retrying conflicts and storage failures until it succeeds, the attempts run
    /// out or <paramref name="abandon"/> returns <see langword="true"/>. Returns whether the stamp was written.
    /// </summary>
    public async Task<bool> RegisterAsync(GrainId grainId, Func<bool> abandon)
    {
        var shard = ShardOf(grainId);
        var delay = runtime.Options.StorageRetryDelay;
        for (var attempt = 1; attempt <= MaxAttempts && !abandon(); attempt++)
        {
            try
            {
                var state = await ReadAsync(shard);
                state.State ??= new RegistryShard();
                state.State.Grains[grainId] = Guid.NewGuid();
                await runtime.Storage.WriteStateAsync(StateName, ShardId(shard), state);
                return true;
            }
            catch (InconsistentStateException)
            {
                // Another grain of the shard registered meanwhile. Read the shard again after a short random pause.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), runtime.TimeProvider);
                continue;
            }
            catch (Exception exception)
            {
                runtime.Logger.RegistrationFailed(grainId.ToString(), attempt, exception);
            }

            await Task.Delay(delay, runtime.TimeProvider);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond * 10));
        }

        return false;
    }

    /// <summary>
    /// Wakes every registered grain and removes the grains whose stored checkpoint contains no such method any more.
    /// </summary>
    public async Task SweepAsync(string reason, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var shard = 0; shard < runtime.Options.RegistryShards; shard++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                total += await SweepShardAsync(shard);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                runtime.Logger.SweepFailed(shard, exception);
            }
        }

        runtime.Logger.WakeScan(reason, total);
    }

    private async Task<int> SweepShardAsync(int shard)
    {
        var state = await ReadAsync(shard);
        if (state.State is not { Grains.Count: > 0 } registry)
        {
            return 0;
        }

        // NOTE: all grains of a shard are woken at once, without pacing.
        var wakes = registry.Grains.Keys.Select(async grainId =>
        {
            try
            {
                var busy = await runtime.GrainFactory.GetGrain(grainId).AsReference<IImmortalDeliveryExtension>().Wake();
                return (grainId, Finished: !busy);
            }
            catch (Exception exception)
            {
                runtime.Logger.WakeFailed(grainId.ToString(), exception);
                return (grainId, Finished: false);
            }
        });
        var results = await Task.WhenAll(wakes);
        var finished = results.Where(result => result.Finished).Select(result => result.grainId).ToList();
        if (finished.Count == 0)
        {
            return registry.Grains.Count;
        }

        foreach (var grainId in finished)
        {
            registry.Grains.Remove(grainId);
        }

        try
        {
            await runtime.Storage.WriteStateAsync(StateName, ShardId(shard), state);
        }
        catch (InconsistentStateException)
        {
            // A grain registered while the sweep ran. The next sweep looks again.
        }

        return results.Length;
    }

    private async Task<GrainState<RegistryShard>> ReadAsync(int shard)
    {
        var state = new GrainState<RegistryShard>();
        await runtime.Storage.ReadStateAsync(StateName, ShardId(shard), state);
        return state;
    }

    private int ShardOf(GrainId grainId) => (int)(grainId.GetUniformHashCode() % (uint)runtime.Options.RegistryShards);

    private static GrainId ShardId(int shard) => GrainId.Create("immortals-registry", shard.ToString("D4"));
}
