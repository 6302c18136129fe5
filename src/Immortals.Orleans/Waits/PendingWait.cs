using Immortals.Orleans.Calls;

namespace Immortals.Orleans.Waits;

/// <summary>In-memory state of a durable wait: its record, the task its frame awaits and its timer.</summary>
internal sealed class PendingWait(WaitRecord record, LeafCompletion leaf, Type resultType)
{
    public WaitRecord Record { get; } = record;

    public long LeafId => Record.LeafId;

    /// <summary>The task the frame awaits. Replaced when frames are rebuilt.</summary>
    public LeafCompletion Leaf { get; set; } = leaf;

    /// <summary>Result type of <see cref="Leaf"/>'s task, to check a signal's value against it.</summary>
    public Type ResultType { get; set; } = resultType;

    /// <summary>Whether a stored checkpoint contains the wait, so that its timer may run.</summary>
    public bool Durable { get; set; }

    /// <summary>The timer of a stored delay while the activation runs.</summary>
    public ITimer? Timer { get; set; }

    /// <summary>The registration on the root's cancellation token while the wait is pending.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    public bool Completed => Record.Outcome is not null;

    /// <summary>
    /// Whether the wait has not completed and completes at <see cref="WaitRecord.DueTime"/> at the latest: a delay,
    /// or a signal wait with a deadline. Such waits need a timer and a wake-up after a silo failure.
    /// </summary>
    public bool IsPendingDelay => !Completed && (Record.Kind == WaitKind.Delay || Record.HasDeadline);
}
