using System.Reflection;
using System.Runtime.CompilerServices;
using Orleans.Serialization;

namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Captures suspended async methods into a binary snapshot and rebuilds them, in this or another process, so
/// that completing the rebuilt leaves resumes each method where it stopped, with its locals.
/// </summary>
/// <remarks>
/// <para>
/// Contract: capture while every captured method is suspended and none is running, that is on the owner's
/// scheduler after the turn (for a grain, on its activation scheduler once the current turn has ended). A
/// method that is running is reported as <see cref="FrameCaptureFailure.NotSuspended"/>, but a method that
/// runs on another thread during the capture can be read half-updated.
/// </para>
/// <para>
/// Values are written with the Orleans serializer, so user types need <c>[GenerateSerializer]</c>. State
/// machines and closures are written field by field by the engine. Execution context and <c>AsyncLocal</c>
/// values are not part of a frame: rebuilt methods resume with the execution context that was current when
/// <see cref="RebuildAsync"/> ran.
/// </para>
/// </remarks>
internal sealed class AsyncFrameEngine
{
    private readonly Serializer _serializer;

    /// <summary>Initializes a new instance of the <see cref="AsyncFrameEngine"/> class.</summary>
    /// <param name="serializer">Orleans serializer for the values of locals and parameters.</param>
    public AsyncFrameEngine(Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        AsyncRuntimeLayout.Verify();
        _serializer = serializer;
    }

    /// <summary>
    /// Throws <see cref="FrameCaptureException"/> unless <paramref name="method"/> is compiled as a compiler-generated
    /// async state machine, the only form the engine can capture. Checking grain methods at startup reports
    /// runtime-implemented async before any checkpoint is attempted.
    /// </summary>
    public static void EnsureCompilerStateMachine(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var name = $"{method.DeclaringType?.FullName}.{method.Name}";
        if (AsyncRuntimeLayout.IsRuntimeAsync(method))
        {
            throw new FrameCaptureException(
                FrameCaptureFailure.NoCompilerStateMachine,
                name,
                null,
                null,
                $"{name} is compiled as runtime-implemented async (MethodImplAttributes.Async), which keeps no state "
                + "machine to capture; build it without the 'runtime-async' compiler feature.");
        }

        if (method.GetCustomAttribute<AsyncStateMachineAttribute>() is null)
        {
            throw new FrameCaptureException(
                FrameCaptureFailure.NoCompilerStateMachine,
                name,
                null,
                null,
                $"{name} is not an async method with a compiler-generated state machine, so it cannot be captured.");
        }
    }

    /// <summary>
    /// Captures the chains of suspended methods from each root of <paramref name="request"/> down to the leaf it
    /// awaits, and returns the snapshot.
    /// </summary>
    /// <exception cref="FrameCaptureException">A local cannot be serialized, a method awaits something other than
    /// a leaf or another async method, a method is not suspended, or a task has no compiler state machine.</exception>
    /// <exception cref="FrameCaptureDeferredException">The inputs of a <c>Task.WhenAll</c> or <c>Task.WhenAny</c>
    /// are completing; retry after the owner's queued continuations have run.</exception>
    public byte[] Capture(FrameCaptureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var model = new FrameCapturer(request, _serializer).Capture();
        return FrameSnapshotCodec.Write(model);
    }

    /// <summary>
    /// Rebuilds a snapshot on <see cref="FrameRebuildRequest.Scheduler"/> and returns each root's new task by root id.
    /// </summary>
    /// <remarks>
    /// The snapshot is validated before anything is constructed: a method changed since the capture (its field
    /// layout or its <c>MoveNext</c> body), a missing type or a value that no longer deserializes throws
    /// <see cref="FrameRebuildException"/> and no leaf or frame is created. Runs inline when already on the
    /// scheduler.
    /// </remarks>
    public Task<IReadOnlyDictionary<long, Task>> RebuildAsync(ReadOnlyMemory<byte> snapshot, FrameRebuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        FrameRebuilder rebuilder;
        try
        {
            rebuilder = FrameRebuilder.Prepare(snapshot, request, _serializer);
        }
        catch (FrameRebuildException exception)
        {
            return Task.FromException<IReadOnlyDictionary<long, Task>>(exception);
        }

        if (TaskScheduler.Current == request.Scheduler)
        {
            return Task.FromResult(rebuilder.Construct());
        }

        return Task.Factory.StartNew(
            rebuilder.Construct,
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            request.Scheduler);
    }

    /// <summary>
    /// Lists the content of a snapshot for diagnostics: roots, frames with their state and what they await, and
    /// their locals by source name. Values are shown when they deserialize in this process.
    /// </summary>
    /// <exception cref="FormatException">The snapshot is damaged or has another format version.</exception>
    public FrameSnapshotDescription Describe(ReadOnlyMemory<byte> snapshot) =>
        FrameSnapshotDescription.Create(FrameSnapshotCodec.Read(snapshot), snapshot.Length, _serializer);

    /// <summary>
    /// Walks up from pending leaves to the outermost methods that await them and returns their tasks: the roots
    /// to capture. The walk stops below frames classified as <see cref="FrameRole.Boundary"/> and skips
    /// <see cref="FrameRole.PassThrough"/> frames, and goes through <c>Task.WhenAll</c> and <c>Task.WhenAny</c> to the
    /// methods that await them. Only methods that have already suspended are found.
    /// </summary>
    public static IReadOnlyList<Task> FindRoots(IEnumerable<Task> leaves, Func<AsyncMethodIdentity, FrameRole>? classify = null)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var roots = new List<Task>();
        var visited = new HashSet<Task>();
        foreach (var leaf in leaves)
        {
            Walk(leaf, null);
        }

        return roots;

        void Walk(Task task, Task? outermostCaptured)
        {
            if (!visited.Add(task))
            {
                return;
            }

            var awaiting = AsyncRuntimeLayout.GetAwaitingBoxes(task);
            var promises = AsyncRuntimeLayout.GetWaitingPromises(task);
            if (awaiting.Count == 0 && promises.Count == 0)
            {
                AddRoot(outermostCaptured);
                return;
            }

            // A Task.WhenAll or Task.WhenAny over the task belongs to the frames that await the combinator.
            foreach (var promise in promises)
            {
                Walk(promise, outermostCaptured);
            }

            foreach (var box in awaiting)
            {
                var identity = StateMachineLayout.For(AsyncRuntimeLayout.GetStateMachine(box)!.GetType()).Identity;
                switch (classify?.Invoke(identity) ?? FrameRole.Capture)
                {
                    case FrameRole.Boundary:
                        AddRoot(outermostCaptured);
                        break;
                    case FrameRole.PassThrough:
                        Walk(box, outermostCaptured);
                        break;
                    default:
                        Walk(box, box);
                        break;
                }
            }
        }

        void AddRoot(Task? root)
        {
            if (root is not null && !roots.Contains(root))
            {
                roots.Add(root);
            }
        }
    }
}
