namespace Immortals.Orleans.StateMachines;

/// <summary>
/// What to capture: the roots (tasks of the outermost methods), the leaves (pending calls the caller controls)
/// and the owner object whose <c>this</c> the frames refer to.
/// </summary>
internal sealed class FrameCaptureRequest
{
    private readonly List<KeyValuePair<long, Task>> _roots = [];
    private readonly Dictionary<Task, long> _leaves = [];
    private readonly Dictionary<CancellationToken, long> _cancellationTokens = [];

    /// <summary>
    /// The owner (for example the grain). Any field that refers to it is stored as a reference to the owner and
    /// rebound to the new owner on rebuild.
    /// </summary>
    public object? Owner { get; init; }

    /// <summary>
    /// Decides the role of each async method met on the way from a root to a leaf; every method is captured
    /// when this is <see langword="null"/>.
    /// </summary>
    public Func<AsyncMethodIdentity, FrameRole>? Classify { get; init; }

    /// <summary>
    /// Values of the owner's own state (for example a grain's fields), written first in the same serializer
    /// session as the values of the frames, so that an object shared by the owner and a local stays shared after
    /// rebuild. <see cref="FrameRebuildRequest.RestoreOwnerValues"/> receives them back.
    /// </summary>
    public IReadOnlyList<object?> OwnerValues { get; init; } = [];

    /// <summary>Roots in the order added.</summary>
    public IReadOnlyList<KeyValuePair<long, Task>> Roots => _roots;

    /// <summary>Leaf ids by task; one leaf may have several tasks (for example the call's task and its source's task).</summary>
    public IReadOnlyDictionary<Task, long> Leaves => _leaves;

    /// <summary>Root ids by cancellation token, as added with <see cref="AddCancellationToken"/>.</summary>
    public IReadOnlyDictionary<CancellationToken, long> CancellationTokens => _cancellationTokens;

    /// <summary>Adds the task of an outermost method to capture, with the caller's id for it.</summary>
    public FrameCaptureRequest AddRoot(long rootId, Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_roots.Exists(root => root.Key == rootId))
        {
            throw new ArgumentException($"Root id {rootId} was added twice.", nameof(rootId));
        }

        _roots.Add(new KeyValuePair<long, Task>(rootId, task));
        return this;
    }

    /// <summary>
    /// Adds a task that stands for leaf <paramref name="leafId"/>: a frame awaiting it, or a local holding it,
    /// refers to the leaf. A leaf may be pending or completed. A rebuild requests its new task from the caller.
    /// </summary>
    public FrameCaptureRequest AddLeaf(long leafId, Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_leaves.TryGetValue(task, out var existing) && existing != leafId)
        {
            throw new ArgumentException($"The task was added as leaf {existing} and as leaf {leafId}.", nameof(task));
        }

        _leaves[task] = leafId;
        return this;
    }

    /// <summary>
    /// Adds the cancellation token of root <paramref name="rootId"/>: a field that holds it is stored as "the token
    /// of that root", and a rebuild asks <see cref="FrameRebuildRequest.ResolveCancellationToken"/> for the new one.
    /// A field that holds any other token that can be canceled fails the capture.
    /// </summary>
    public FrameCaptureRequest AddCancellationToken(long rootId, CancellationToken token)
    {
        if (!token.CanBeCanceled)
        {
            throw new ArgumentException("The token cannot be canceled, so it needs no registration.", nameof(token));
        }

        _cancellationTokens[token] = rootId;
        return this;
    }
}
