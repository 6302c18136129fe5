using System.Globalization;
using Orleans.Serialization;

namespace Immortals.Orleans.StateMachines.Harness;

/// <summary>
/// Runs workflow scenarios: straight through, or up to a point, captured, rebuilt on a fresh owner, scheduler and
/// call set, and finished. Calls are completed one at a time, oldest first, after the scheduler is idle.
/// </summary>
public sealed class ScenarioDriver(Serializer serializer)
{
    private static readonly TimeSpan ThreadPoolWait = TimeSpan.FromSeconds(10);

    /// <summary>The engine under test.</summary>
    internal AsyncFrameEngine Engine { get; } = new(serializer);

    /// <summary>The serializer of values and checkpoints.</summary>
    public Serializer Serializer => serializer;

    /// <summary>Runs a scenario to the end without interruption.</summary>
    public RunOutcome RunStraight(string build, string scenario)
    {
        var world = World.Start(WorkflowBuilds.Load(build), scenario);
        var completions = Drive(world, int.MaxValue);
        return world.Outcome([], completions);
    }

    /// <summary>
    /// Runs a scenario until <paramref name="completionsBeforeCapture"/> calls have completed and the scheduler is
    /// idle, then captures it; returns null when the scenario finished before that point.
    /// </summary>
    public WorldCheckpoint? RunAndCapture(string build, string scenario, int completionsBeforeCapture)
    {
        var world = World.Start(WorkflowBuilds.Load(build), scenario);
        Drive(world, completionsBeforeCapture);
        if (world.Roots.All(r => r.IsCompleted))
        {
            return null;
        }

        var frames = Capture(world);
        return new WorldCheckpoint(build, scenario, frames, world.Calls.Save(), world.Journal.Entries.ToArray());
    }

    /// <summary>Captures the roots of a started world, all its calls registered as leaves.</summary>
    public byte[] Capture(World world)
    {
        var request = new FrameCaptureRequest { Owner = world.Owner, Classify = LeafCalls.Classify };
        for (var i = 0; i < world.Roots.Count; i++)
        {
            request.AddRoot(i + 1, world.Roots[i]);
        }

        return Engine.Capture(world.Calls.AddLeaves(request));
    }

    /// <summary>Rebuilds a checkpoint in a fresh world and runs it to the end.</summary>
    public RunOutcome Resume(WorldCheckpoint checkpoint)
    {
        var world = Rebuild(checkpoint);
        var completions = Drive(world, int.MaxValue);
        return world.Outcome(checkpoint.Journal, completions);
    }

    /// <summary>
    /// Rebuilds a checkpoint in a fresh world: new journal, scheduler, restored calls and owner.
    /// <paramref name="restoreOwner"/> restores the owner's fields before the frames are rebuilt.
    /// </summary>
    public World Rebuild(WorldCheckpoint checkpoint, Action<IWorkflowOwner>? restoreOwner = null)
    {
        var journal = new Journal();
        var scheduler = new ManualTaskScheduler(journal);
        var calls = LeafCalls.Restore(checkpoint.Calls);
        var owner = WorkflowBuilds.Load(checkpoint.Build).CreateOwner(calls, journal);
        restoreOwner?.Invoke(owner);
        var rebuild = Engine.RebuildAsync(
            checkpoint.Frames,
            new FrameRebuildRequest { Owner = owner, Scheduler = scheduler, CreateLeaf = calls.CreateLeaf });
        scheduler.RunOne();
        var roots = rebuild.GetAwaiter().GetResult();
        var ordered = roots.OrderBy(r => r.Key).Select(r => r.Value).ToArray();
        return new World(scheduler, journal, calls, owner, ordered);
    }

    /// <summary>Serializes a checkpoint for a file.</summary>
    public byte[] Save(WorldCheckpoint checkpoint) => serializer.SerializeToArray(checkpoint);

    /// <summary>Reads a checkpoint from <see cref="Save"/>.</summary>
    public WorldCheckpoint Load(byte[] bytes) =>
        serializer.Deserialize<WorldCheckpoint>(bytes) ?? throw new InvalidDataException("The checkpoint file is empty.");

    /// <summary>
    /// Runs the scheduler until idle and completes the oldest pending call, until every root finished or
    /// <paramref name="maxCompletions"/> calls were completed; returns the number completed.
    /// </summary>
    public static int Drive(World world, int maxCompletions)
    {
        // Completing a call runs continuations that do not capture a scheduler (ConfigureAwait(false)) inline,
        // which a test runner's synchronization context would prevent.
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return DriveWithoutContext(world, maxCompletions);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private static int DriveWithoutContext(World world, int maxCompletions)
    {
        var completions = 0;
        while (true)
        {
            world.Scheduler.RunUntilIdle();
            if (world.Roots.All(r => r.IsCompleted))
            {
                return completions;
            }

            if (completions == maxCompletions)
            {
                return completions;
            }

            var next = world.Calls.OldestPending();
            if (next is null)
            {
                // Continuations after ConfigureAwait(false) run on the thread pool.
                var progressed = SpinWait.SpinUntil(
                    () => world.Roots.All(r => r.IsCompleted) || world.Calls.OldestPending() is not null || world.Scheduler.HasQueuedTasks,
                    ThreadPoolWait);
                if (!progressed)
                {
                    throw new InvalidOperationException("The scenario is stuck: no root finished and no call is pending.");
                }

                continue;
            }

            world.Calls.Complete(next.Value);
            completions++;
        }
    }

    /// <summary>One run's owner, scheduler, calls, journal and roots.</summary>
    public sealed class World(ManualTaskScheduler scheduler, Journal journal, LeafCalls calls, IWorkflowOwner owner, IReadOnlyList<Task> roots)
    {
        /// <summary>Scheduler the workflows run on.</summary>
        public ManualTaskScheduler Scheduler => scheduler;

        /// <summary>Journal of this run.</summary>
        public Journal Journal => journal;

        /// <summary>Calls of this run.</summary>
        public LeafCalls Calls => calls;

        /// <summary>The owner.</summary>
        public IWorkflowOwner Owner => owner;

        /// <summary>Tasks of the roots.</summary>
        public IReadOnlyList<Task> Roots => roots;

        /// <summary>Starts a scenario on a fresh owner and scheduler; nothing runs until the scheduler does.</summary>
        public static World Start(IWorkflowCatalog catalog, string scenario)
        {
            var journal = new Journal();
            var scheduler = new ManualTaskScheduler(journal);
            var calls = new LeafCalls();
            var owner = catalog.CreateOwner(calls, journal);
            var start = scheduler.Start(() => catalog.Start(scenario, owner));
            scheduler.RunOne();
            return new World(scheduler, journal, calls, owner, start.GetAwaiter().GetResult());
        }

        /// <summary>Returns the outcome of the finished roots, after <paramref name="earlierJournal"/>.</summary>
        public RunOutcome Outcome(IEnumerable<string> earlierJournal, int completions) =>
            new(roots.Select(FormatResult).ToArray(), earlierJournal.Concat(journal.Entries).ToArray(), completions);

        private static string FormatResult(Task task)
        {
            if (task.IsFaulted)
            {
                var error = task.Exception!.InnerException!;
                return $"fault: {error.GetType().Name}: {error.Message}";
            }

            if (task.IsCanceled)
            {
                return "canceled";
            }

            var property = task.GetType().GetProperty("Result");
            var result = property?.PropertyType.Name == "VoidTaskResult" ? "done" : property?.GetValue(task);
            return Convert.ToString(result ?? "done", CultureInfo.InvariantCulture)!;
        }
    }
}
