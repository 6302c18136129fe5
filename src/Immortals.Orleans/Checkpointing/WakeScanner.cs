using Immortals.Orleans.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Watches cluster membership. When a silo is declared dead, every silo makes its immortal activations deliver
/// their open calls again at once, and one silo (the active silo with the lowest address) sweeps the wake-up
/// registry. That silo also sweeps at start-up and every <see cref="Hosting.ImmortalOptions.RegistrySweepPeriod"/>.
/// </summary>
internal sealed class WakeScanner(
    ImmortalRuntime runtime,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;
    private Task _sweeps = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WakeScanner), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = Task.Run(WatchMembershipAsync);
        _sweeps = Task.Run(SweepPeriodicallyAsync);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        try
        {
            await Task.WhenAll(_watch, _sweeps).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchMembershipAsync()
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                var newlyDead = snapshot.Members.Values
                    .Where(member => member.Status == SiloStatus.Dead && dead.Add(member.SiloAddress))
                    .ToList();
                if (newlyDead.Count == 0)
                {
                    continue;
                }

                foreach (var activation in runtime.Activations)
                {
                    activation.OnSiloDead();
                }

                if (IsSweeper(snapshot))
                {
                    await runtime.Registry.SweepAsync("silo declared dead", _stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            runtime.Logger.SweepFailed(-1, exception);
        }
    }

    private async Task SweepPeriodicallyAsync()
    {
        var reason = "silo start";
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (IsSweeper(membership.CurrentSnapshot))
                {
                    await runtime.Registry.SweepAsync(reason, _stopping.Token);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                runtime.Logger.SweepFailed(-1, exception);
            }

            reason = "periodic sweep";
            try
            {
                await Task.Delay(runtime.Options.RegistrySweepPeriod, runtime.TimeProvider, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Whether this silo is the active silo with the lowest address, the one that sweeps.</summary>
    private bool IsSweeper(ClusterMembershipSnapshot snapshot)
    {
        var first = snapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active)
            .Select(member => member.SiloAddress)
            .OrderBy(address => address.ToParsableString(), StringComparer.Ordinal)
            .FirstOrDefault();
        return first is null || first.Equals(localSilo.SiloAddress);
    }
}
