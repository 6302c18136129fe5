using System.Reflection;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Where and with what to rebuild a snapshot: the new owner, the scheduler the rebuilt methods resume on and the
/// factory of the rebuilt leaves.
/// </summary>
internal sealed class FrameRebuildRequest
{
    /// <summary>The new owner; fields that referred to the old owner refer to it after rebuild.</summary>
    public object? Owner { get; init; }

    /// <summary>
    /// Scheduler the rebuilt methods resume on (for a grain, its activation scheduler). The rebuild runs as a task
    /// on it, because each await captures <see cref="TaskScheduler.Current"/>. It must run one task at a time, so
    /// that no rebuilt method resumes before the rebuild has finished.
    /// </summary>
    public required TaskScheduler Scheduler { get; init; }

    /// <summary>
    /// Returns the new task of a leaf. It is called once per leaf id, on <see cref="Scheduler"/>, after the
    /// snapshot has been validated. The task must be a <see cref="Task{TResult}"/> of
    /// <see cref="LeafRequest.ResultType"/> when that is set.
    /// </summary>
    public required Func<LeafRequest, Task> CreateLeaf { get; init; }

    /// <summary>
    /// Finds an assembly by simple name, for hosts that load code into their own assembly load contexts; returning
    /// <see langword="null"/> falls back to the assemblies loaded in the process. Values are resolved by the Orleans
    /// serializer, not through this.
    /// </summary>
    public Func<string, Assembly?>? ResolveAssembly { get; init; }

    /// <summary>
    /// Number of owner values the snapshot starts with, as given in <see cref="FrameCaptureRequest.OwnerValues"/>.
    /// </summary>
    public int OwnerValueCount { get; init; }

    /// <summary>
    /// Receives the owner values on <see cref="Scheduler"/>, after the snapshot was validated and before any leaf
    /// or frame is created; <see langword="null"/> to ignore them.
    /// </summary>
    public Action<object?[]>? RestoreOwnerValues { get; init; }

    /// <summary>
    /// Returns the new cancellation token of a root whose token a frame held (see
    /// <see cref="FrameCaptureRequest.AddCancellationToken"/>), or <see langword="null"/> when the root is unknown.
    /// Called on <see cref="Scheduler"/> while the frames are created.
    /// </summary>
    public Func<long, CancellationToken?>? ResolveCancellationToken { get; init; }
}
