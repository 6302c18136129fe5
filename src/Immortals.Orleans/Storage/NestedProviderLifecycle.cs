using Orleans.Runtime;

namespace Immortals.Orleans.Storage;

/// <summary>
/// Collects the lifecycle subscriptions of Orleans providers that a checkpoint store wraps, so the store starts
/// them inside its own start-up step, in stage order.
/// </summary>
/// <remarks>
/// Orleans' Azure providers create their clients, tables and containers only in their lifecycle start-up
/// callback, which they register through <see cref="ILifecycleParticipant{TLifecycleObservable}"/>.
/// </remarks>
internal sealed class NestedProviderLifecycle : ISiloLifecycle
{
    private readonly List<(int Stage, ILifecycleObserver Observer)> _observers = [];

    /// <inheritdoc />
    public int HighestCompletedStage { get; private set; } = int.MinValue;

    /// <inheritdoc />
    public int LowestStoppedStage { get; private set; } = int.MaxValue;

    /// <inheritdoc />
    public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
    {
        _observers.Add((stage, observer));
        return new Subscription(() => _observers.Remove((stage, observer)));
    }

    /// <summary>Starts every subscribed observer, lowest stage first.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (stage, observer) in _observers.OrderBy(entry => entry.Stage).ToList())
        {
            await observer.OnStart(cancellationToken);
            HighestCompletedStage = stage;
        }
    }

    /// <summary>Stops every subscribed observer, highest stage first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var (stage, observer) in _observers.OrderByDescending(entry => entry.Stage).ToList())
        {
            await observer.OnStop(cancellationToken);
            LowestStoppedStage = stage;
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
