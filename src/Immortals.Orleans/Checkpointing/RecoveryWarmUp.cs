using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Immortals.Orleans.Calls;
using Immortals.Orleans.Diagnostics;
using Immortals.Orleans.Roots;
using Immortals.Orleans.StateMachines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Prepares the recovery path when the silo becomes active, so that the first grains recovered after a silo failure
/// do not pay for first-time work. It computes the layouts and IL hashes of the async methods of every immortal grain
/// class, and runs one capture, serialization and rebuild of a small suspended method.
/// </summary>
/// <remarks>
/// It runs in the background and is skipped silently where it fails: recovery computes the same things on demand.
/// </remarks>
internal sealed class RecoveryWarmUp(
    ImmortalRuntime runtime,
    IOptions<GrainTypeOptions> grainTypes) : ILifecycleParticipant<ISiloLifecycle>
{
    private const BindingFlags DeclaredMethods =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.DeclaredOnly;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RecoveryWarmUp), ServiceLifecycleStage.Active, OnActive);

    private Task OnActive(CancellationToken cancellationToken)
    {
        _ = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var layouts = await PrepareAsync();
            runtime.Logger.RecoveryWarmedUp(layouts, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception exception)
        {
            runtime.Logger.RecoveryWarmUpFailed(exception);
        }
    }

    /// <summary>
    /// Prepares the layouts of every immortal grain class and runs one round trip. Returns the number of layouts.
    /// </summary>
    public async Task<int> PrepareAsync()
    {
        var layouts = 0;
        foreach (var grainClass in grainTypes.Value.Classes.Where(typeof(IImmortalGrain).IsAssignableFrom))
        {
            layouts += PrepareLayouts(grainClass);
        }

        await RoundTripAsync();
        return layouts;
    }

    /// <summary>
    /// Computes the layouts of the state machines of a grain class's async methods, its base classes' and those of
    /// its nested compiler-generated types (lambdas and local functions). Returns how many it prepared.
    /// </summary>
    private static int PrepareLayouts(Type grainClass)
    {
        var count = 0;
        for (var type = grainClass; type is not null && type != typeof(Grain); type = type.BaseType)
        {
            count += PrepareDeclaredLayouts(type);
        }

        return count;
    }

    private static int PrepareDeclaredLayouts(Type type)
    {
        var count = 0;
        foreach (var method in type.GetMethods(DeclaredMethods))
        {
            if (method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType is not { } machine
                || machine.ContainsGenericParameters)
            {
                continue;
            }

            try
            {
                _ = StateMachineLayout.For(machine);
                count++;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A method that the engine cannot store fails its checkpoint with a clear error; nothing to prepare.
            }
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
        {
            count += PrepareDeclaredLayouts(nested);
        }

        return count;
    }

    /// <summary>
    /// Captures a small suspended method, writes it into a checkpoint record and reads it back, and rebuilds it, as
    /// a checkpoint write and a recovery do.
    /// </summary>
    private async Task RoundTripAsync()
    {
        var leaf = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flow = new WarmUpFlow();
        var running = flow.AddOneAsync(leaf.Task);
        var frames = runtime.Engine.Capture(
            new FrameCaptureRequest { Owner = flow }.AddRoot(1, running).AddLeaf(2, leaf.Task));
        var record = new CheckpointRecord
        {
            Incarnation = Guid.NewGuid(),
            NextSequence = 3,
            NextRootId = 2,
            Frames = frames,
            Roots = [new RootRecord { RootId = 1, MethodName = nameof(WarmUpFlow.AddOneAsync), Started = true }],
            Calls = [new CallRecord { Sequence = 2, MethodName = nameof(WarmUpFlow.AddOneAsync) }],
        };
        var stored = runtime.Serializer.Deserialize<CheckpointRecord>(runtime.Serializer.SerializeToArray(record))
            ?? throw new InvalidOperationException("The checkpoint record did not survive serialization.");

        var rebuiltLeaf = LeafCompletion.Create(typeof(int));
        var rebuilt = await runtime.Engine.RebuildAsync(stored.Frames!, new FrameRebuildRequest
        {
            Owner = new WarmUpFlow(),
            Scheduler = TaskScheduler.Default,
            CreateLeaf = _ => rebuiltLeaf.Task,
        });
        rebuiltLeaf.Complete(new CallOutcome { Value = 1 });
        leaf.SetResult(1);
        await Task.WhenAll(rebuilt.Values.Append(running));
    }

    /// <summary>An owner with one async method, the smallest frame that a checkpoint stores.</summary>
    private sealed class WarmUpFlow
    {
        public async Task<int> AddOneAsync(Task<int> leaf) => await leaf + 1;
    }
}
