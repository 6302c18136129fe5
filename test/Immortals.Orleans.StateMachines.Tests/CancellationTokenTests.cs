using Immortals.Orleans.StateMachines.Harness;

namespace Immortals.Orleans.StateMachines.Tests;

/// <summary>
/// A cancellation token held across an await is stored as the token of a root and rebuilt as the token that the
/// rebuild request gives for that root.
/// </summary>
public sealed class CancellationTokenTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const long RootId = 3;
    private const long LeafId = 7;

    [Fact]
    public async Task Root_token_is_rebuilt_as_new_token()
    {
        var leaf = new TaskCompletionSource<int>();
        using var original = new CancellationTokenSource();
        var root = AwaitWithToken(leaf.Task, original.Token);
        var snapshot = fixture.Driver.Engine.Capture(new FrameCaptureRequest()
            .AddRoot(RootId, root)
            .AddLeaf(LeafId, leaf.Task)
            .AddCancellationToken(RootId, original.Token));
        using var rebuilt = new CancellationTokenSource();
        rebuilt.Cancel();

        var (resumed, newLeaf, scheduler) = Rebuild(snapshot, id => id == RootId ? rebuilt.Token : null);
        newLeaf.SetResult(5);
        scheduler.RunUntilIdle();

        Assert.False(original.IsCancellationRequested);
        Assert.True(resumed.IsCompletedSuccessfully);
        Assert.Equal("canceled after 5", await resumed);
    }

    [Fact]
    public void Rebuilt_token_cancels_later()
    {
        var leaf = new TaskCompletionSource<int>();
        using var original = new CancellationTokenSource();
        var root = AwaitTwiceWithToken(leaf.Task, original.Token);
        var snapshot = fixture.Driver.Engine.Capture(new FrameCaptureRequest()
            .AddRoot(RootId, root)
            .AddLeaf(LeafId, leaf.Task)
            .AddCancellationToken(RootId, original.Token));
        using var rebuilt = new CancellationTokenSource();

        var (resumed, newLeaf, scheduler) = Rebuild(snapshot, id => id == RootId ? rebuilt.Token : null);
        rebuilt.Cancel();
        newLeaf.SetResult(5);
        scheduler.RunUntilIdle();

        Assert.True(resumed.IsCanceled);
    }

    [Fact]
    public void Unregistered_token_fails_capture()
    {
        var leaf = new TaskCompletionSource<int>();
        using var source = new CancellationTokenSource();
        var root = AwaitWithToken(leaf.Task, source.Token);

        var error = Assert.Throws<FrameCaptureException>(() => fixture.Driver.Engine.Capture(
            new FrameCaptureRequest().AddRoot(RootId, root).AddLeaf(LeafId, leaf.Task)));

        Assert.Equal(FrameCaptureFailure.UnserializableLocal, error.Failure);
        Assert.Equal("cancellationToken", error.LocalName);
        leaf.SetResult(0);
    }

    [Fact]
    public async Task Token_without_source_needs_no_registration()
    {
        var leaf = new TaskCompletionSource<int>();
        var root = AwaitWithToken(leaf.Task, CancellationToken.None);
        var snapshot = fixture.Driver.Engine.Capture(
            new FrameCaptureRequest().AddRoot(RootId, root).AddLeaf(LeafId, leaf.Task));

        var (resumed, newLeaf, scheduler) = Rebuild(snapshot, _ => null);
        newLeaf.SetResult(2);
        scheduler.RunUntilIdle();

        Assert.Equal("running after 2", await resumed);
        leaf.SetResult(0);
    }

    [Fact]
    public void Missing_resolver_fails_rebuild()
    {
        var leaf = new TaskCompletionSource<int>();
        using var original = new CancellationTokenSource();
        var root = AwaitWithToken(leaf.Task, original.Token);
        var snapshot = fixture.Driver.Engine.Capture(new FrameCaptureRequest()
            .AddRoot(RootId, root)
            .AddLeaf(LeafId, leaf.Task)
            .AddCancellationToken(RootId, original.Token));
        var scheduler = new ManualTaskScheduler(new Journal());

        var rebuild = fixture.Driver.Engine.RebuildAsync(snapshot, new FrameRebuildRequest
        {
            Scheduler = scheduler,
            CreateLeaf = _ => new TaskCompletionSource<int>().Task,
        });
        scheduler.RunUntilIdle();

        var error = Assert.Throws<FrameRebuildException>(() => rebuild.GetAwaiter().GetResult());
        Assert.Contains("cancellation token", error.Message, StringComparison.Ordinal);
        leaf.SetResult(0);
    }

    private (Task<string> Root, TaskCompletionSource<int> Leaf, ManualTaskScheduler Scheduler) Rebuild(
        byte[] snapshot,
        Func<long, CancellationToken?> resolve)
    {
        var scheduler = new ManualTaskScheduler(new Journal());
        var newLeaf = new TaskCompletionSource<int>();
        var rebuild = fixture.Driver.Engine.RebuildAsync(snapshot, new FrameRebuildRequest
        {
            Scheduler = scheduler,
            CreateLeaf = _ => newLeaf.Task,
            ResolveCancellationToken = resolve,
        });
        scheduler.RunUntilIdle();
        var roots = rebuild.GetAwaiter().GetResult();
        return ((Task<string>)roots[RootId], newLeaf, scheduler);
    }

    private static async Task<string> AwaitWithToken(Task<int> call, CancellationToken cancellationToken)
    {
        var value = await call;
        return cancellationToken.IsCancellationRequested ? $"canceled after {value}" : $"running after {value}";
    }

    private static async Task<string> AwaitTwiceWithToken(Task<int> call, CancellationToken cancellationToken)
    {
        var value = await call;
        cancellationToken.ThrowIfCancellationRequested();
        return $"running after {value}";
    }
}
