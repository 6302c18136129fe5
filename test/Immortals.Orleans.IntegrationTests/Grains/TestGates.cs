using System.Collections.Concurrent;

namespace Immortals.Orleans.IntegrationTests.Grains;

/// <summary>
/// Gates shared by the in-process silos and the test: a test arms a step, learns when a grain reaches it, and
/// releases it. Unarmed steps pass at once.
/// </summary>
public static class TestGates
{
    private static readonly ConcurrentDictionary<(string Key, int Step), Gate> Gates = new();
    private static readonly ConcurrentDictionary<(string Key, int Step), int> Passes = new();

    public static void Arm(string key, int step) => Gates.TryAdd((key, step), new Gate());

    public static bool IsArmed(string key, int step) => Gates.ContainsKey((key, step));

    public static Task WaitReachedAsync(string key, int step) =>
        Gates[(key, step)].Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public static void Release(string key, int step) => Gates[(key, step)].Released.TrySetResult();

    /// <summary>
    /// Releases the calls waiting at a step and arms the step again, so that a call sent again after a recovery
    /// waits until the test releases it.
    /// </summary>
    public static void ReleaseAndRearm(string key, int step)
    {
        var released = Gates[(key, step)];
        Gates[(key, step)] = new Gate();
        released.Released.TrySetResult();
    }

    public static void ReleaseAll(string key)
    {
        foreach (var ((gateKey, _), gate) in Gates)
        {
            if (gateKey == key)
            {
                gate.Released.TrySetResult();
            }
        }
    }

    /// <summary>How often a step's gate was called: more than once when a call was sent again after recovery.</summary>
    public static int PassCount(string key, int step) => Passes.GetValueOrDefault((key, step));

    public static Task PassAsync(string key, int step)
    {
        Passes.AddOrUpdate((key, step), 1, (_, count) => count + 1);
        if (!Gates.TryGetValue((key, step), out var gate))
        {
            return Task.CompletedTask;
        }

        gate.Reached.TrySetResult();
        return gate.Released.Task;
    }

    private sealed class Gate
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
