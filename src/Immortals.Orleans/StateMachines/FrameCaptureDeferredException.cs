namespace Immortals.Orleans.StateMachines;

/// <summary>
/// Raised when a capture meets a <c>Task.WhenAll</c> or <c>Task.WhenAny</c> whose inputs are completing: an input
/// finished but the continuation that records it (in the promise, or in an async method that awaited it) has not
/// run yet. The same capture can succeed once queued continuations have run, so the caller retries it in a later
/// turn instead of failing the root.
/// </summary>
internal sealed class FrameCaptureDeferredException : Exception
{
    public FrameCaptureDeferredException(FrameCaptureException failure)
        : base("The capture must be retried after queued continuations have run: " + failure.Message, failure)
    {
        Failure = failure;
    }

    /// <summary>The error that fails the root when the inputs still do not settle after the retries.</summary>
    public FrameCaptureException Failure { get; }
}
