using SiloHost.Grains;

namespace SiloHost.Demo;

/// <summary>The client's view of one order: its request, its attempts and its outcome.</summary>
public sealed class TrackedOrder(OrderRequest request)
{
    private TaskCompletionSource _resend = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The order.</summary>
    public OrderRequest Request { get; } = request;

    /// <summary>The workflow's result, once it arrived.</summary>
    public OrderOutcome? Outcome { get; set; }

    /// <summary>Requests sent for the order, all under the same request id.</summary>
    public int Attempts { get; set; }

    /// <summary>The error of the last failed attempt, or null.</summary>
    public Exception? LastError { get; set; }

    /// <summary>Completes when the client should send the request again.</summary>
    internal Task ResendRequested => Volatile.Read(ref _resend).Task;

    /// <summary>Asks the driver to send the request again without waiting for the current attempt.</summary>
    public void RequestResend() =>
        Interlocked.Exchange(ref _resend, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();
}
