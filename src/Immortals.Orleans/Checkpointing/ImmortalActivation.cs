using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// The plugin's state for one activation of an immortal grain: its calls, its running methods (roots), its inbox and
/// outbox, and the checkpoint writer that stores them. Attached to the grain context as a component.
/// </summary>
/// <remarks>
/// Every member runs on the activation's scheduler, one work item at a time, so the state needs no locks. Work that
/// starts elsewhere (membership events, timers) is queued onto the scheduler first.
/// </remarks>
internal sealed partial class ImmortalActivation
{
    /// <summary>State name of checkpoints in the grain storage provider.</summary>
    public const string StateName = "immortal";

    // Set while a root's grain code runs (and inherited by its awaits), so that the outgoing filter intercepts only
    // calls made by grain methods, not calls of activation hooks, timers or the plugin itself.
    private static readonly AsyncLocal<RootScope?> CurrentRootOwner = new();

    // Set while the plugin itself sends a call to an ordinary grain, which the filter must let through.
    private static readonly AsyncLocal<bool> PluginSend = new();

    private readonly ImmortalRuntime _runtime;
    private readonly ILogger _logger;
    private readonly CallCache _calls = new();
    private readonly Dictionary<long, ActiveRoot> _roots = [];
    private readonly Dictionary<(GrainId, Guid, long), ActiveRoot> _rootsByCall = [];
    private readonly Dictionary<string, ActiveRoot> _rootsByRequestId = new(StringComparer.Ordinal);
    private readonly Dictionary<(GrainId, Guid, long), OutboxEntry> _outbox = [];
    private readonly Dictionary<(GrainId, Guid), CallerWatermark> _callers = [];
    private readonly Dictionary<string, RetainedResult> _requestResults = new(StringComparer.Ordinal);
    private readonly RootLock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _reentrant;

    private TaskScheduler? _scheduler;
    private ActiveRoot? _startingRoot;
    private long _lastCallOfStartingRoot;
    private Guid _incarnation;
    private long _nextSequence = 1;
    private long _nextRootId = 1;
    private long _durableNextSequence = 1;
    private volatile bool _closed;
    private bool _keptAlive;

    public ImmortalActivation(IGrainContext context, ImmortalRuntime runtime, Type grainClass)
    {
        Context = context;
        _runtime = runtime;
        _logger = runtime.Logger;
        _reentrant = grainClass.IsDefined(typeof(ReentrantAttribute), inherit: true);
        GrainKey = context.GrainId.ToString();
    }

    public IGrainContext Context { get; }

    public GrainId GrainId => Context.GrainId;

    /// <summary>The grain id as text, for logs and messages.</summary>
    public string GrainKey { get; }

    /// <summary>Whether this activation stopped producing outputs: it is deactivating or another one owns the grain.</summary>
    public bool IsClosed => _closed;

    /// <summary>The activation whose grain method is running on the current flow, or <see langword="null"/>.</summary>
    public static ImmortalActivation? CurrentRoot => CurrentRootOwner.Value?.Activation;

    /// <summary>Whether the current flow is a send of the plugin itself.</summary>
    public static bool IsPluginSend => PluginSend.Value;

    private object Grain => Context.GrainInstance
        ?? throw new InvalidOperationException($"The grain {GrainKey} has no instance.");

    private TaskScheduler Scheduler => _scheduler
        ?? throw new InvalidOperationException($"The activation of {GrainKey} has not started.");

    /// <summary>Whether the current code runs on the activation's scheduler, as grain methods do.</summary>
    public bool IsOnScheduler => _scheduler is not null && ReferenceEquals(TaskScheduler.Current, _scheduler);

    /// <summary>
    /// Called from any thread when the silo starts to stop: from then on the activation produces no output. Its
    /// calls in flight fail as the silo goes down, and such failures must not be committed as their results.
    /// </summary>
    public void CloseForSiloStop()
    {
        if (_closed || _scheduler is null)
        {
            return;
        }

        _closed = true;
        _ = Queue(() =>
        {
            FailWaiters();
            return Task.CompletedTask;
        });
    }

    /// <summary>Called from any thread when membership declares a silo dead: deliver open calls again now.</summary>
    public void OnSiloDead()
    {
        if (_scheduler is null || _closed)
        {
            return;
        }

        Queue(() =>
        {
            ResendAll(force: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Runs work on the activation's scheduler after the current work item, without the current execution context,
    /// so that no grain method's <c>RequestContext</c> or root marker leaks into plugin work.
    /// </summary>
    private Task Queue(Func<Task> work)
    {
        Task task;
        using (ExecutionContext.SuppressFlow())
        {
            task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, Scheduler).Unwrap();
        }

        task.ContinueWith(
            static (failed, state) =>
            {
                var activation = (ImmortalActivation)state!;
                activation._logger.BackgroundFailed(activation.GrainKey, failed.Exception!.GetBaseException());
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }

    /// <summary>Keeps the activation from idle collection while it has work that no message would resume.</summary>
    private void UpdateKeepAlive()
    {
        var busy = _roots.Count > 0 || _outbox.Count > 0 || _calls.All.Any(call => !call.HasResult);
        if (busy == _keptAlive || _closed)
        {
            return;
        }

        _keptAlive = busy;
        _runtime.GrainRuntime.DelayDeactivation(Context, busy ? Timeout.InfiniteTimeSpan : TimeSpan.Zero);
    }

    /// <summary>
    /// Runs <paramref name="fail"/> when the activation closes before the checkpoint that a request awaits is
    /// stored, because a closed activation runs no after-write actions. The request then ends, and Orleans, which
    /// finishes a deactivation only once no request runs, can deactivate the activation. Dispose the returned
    /// registration once the checkpoint is stored.
    /// </summary>
    private CancellationTokenRegistration FailOnClose(Action<Exception> fail) =>
        _stopping.Token.Register(() => fail(new InvalidOperationException(
            $"The activation of immortal grain {GrainKey} closed before the checkpoint was written; send the "
            + "message again.")));

    private long Now => _runtime.TimeProvider.GetTimestamp();

    private TimeSpan Since(long timestamp) => _runtime.TimeProvider.GetElapsedTime(timestamp);

    private IImmortalDeliveryExtension ExtensionOf(GrainId grainId) =>
        _runtime.GrainFactory.GetGrain(grainId).AsReference<IImmortalDeliveryExtension>();

    private CallOutcome ReadOutcome(byte[] bytes) => _runtime.Serializer.Deserialize<CallOutcome>(bytes)!;

    /// <summary>Serializes an outcome. An outcome that cannot be serialized becomes a serializable error.</summary>
    private byte[] WriteOutcome(CallOutcome outcome, string methodName)
    {
        try
        {
            return _runtime.Serializer.SerializeToArray(outcome);
        }
        catch (Exception exception)
        {
            _logger.UnserializableOutcome(GrainKey, methodName, exception);
            var replacement = new ImmortalCheckpointException(
                GrainKey,
                methodName,
                $"The result of {methodName} on immortal grain {GrainKey} cannot be serialized: {exception.Message}. "
                + "Return types and exceptions of immortal grain methods must be serializable by Orleans.");
            return _runtime.Serializer.SerializeToArray(new CallOutcome { Exception = replacement });
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException(
                $"The activation of immortal grain {GrainKey} is closing; send the message again.");
        }
    }
}
