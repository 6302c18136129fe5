namespace Immortals.Orleans.Roots;

/// <summary>In-memory state of a running method of an immortal grain.</summary>
internal sealed class ActiveRoot
{
    public ActiveRoot(RootRecord record)
    {
        Record = record;
    }

    private CancellationTokenSource? _cancellation;

    public RootRecord Record { get; }

    /// <summary>
    /// Token passed to the grain method's <see cref="System.Threading.CancellationToken"/> parameters. Frames that
    /// hold it are stored as "the token of this root" and rebuilt with the new root's token.
    /// </summary>
    public CancellationToken CancellationToken => (_cancellation ??= new CancellationTokenSource()).Token;

    /// <summary>Whether <see cref="CancellationToken"/> was handed out, so captures must recognize it.</summary>
    public bool HasCancellationToken => _cancellation is not null;

    /// <summary>
    /// Cancels <see cref="CancellationToken"/>. Callbacks registered on it run on the calling thread.
    /// </summary>
    public void Cancel() => (_cancellation ??= new CancellationTokenSource()).Cancel();

    public long RootId => Record.RootId;

    /// <summary>The grain method's task once started.</summary>
    public Task? Task { get; set; }

    /// <summary>Whether the root runs without the grain's lock, because the grain or the method interleaves.</summary>
    public bool Interleaves { get; set; }

    /// <summary>Whether a stored checkpoint contains this root, so that its delivery may be acknowledged.</summary>
    public bool Durable { get; set; }

    /// <summary>Whether the wake-up registry contains this grain for this root.</summary>
    public bool Registered { get; set; }

    /// <summary>Whether the root's end was handled: its lock released and its outcome committed.</summary>
    public bool Finished { get; set; }

    /// <summary>Whether a stored checkpoint contains <see cref="RootRecord.CancelRequested"/>.</summary>
    public bool CancelStored { get; set; }

    /// <summary>Whether the root failed because its frames could not be captured.</summary>
    public bool Failed { get; set; }

    /// <summary>Whether a delivery waits to return the root's result in its reply, which makes a push unnecessary.</summary>
    public bool ReplyPending { get; set; }

    /// <summary>Completes with the root's outcome once that outcome is stored. External callers await it.</summary>
    public TaskCompletionSource<Calls.CallOutcome> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a stored checkpoint contains the root. Deliveries await it.</summary>
    public TaskCompletionSource DurableSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
