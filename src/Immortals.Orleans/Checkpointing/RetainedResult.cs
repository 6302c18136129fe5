namespace Immortals.Orleans.Checkpointing;

/// <summary>The stored result of a method run under an external request id, kept for the retention period.</summary>
[GenerateSerializer]
internal sealed class RetainedResult
{
    [Id(0)]
    public string RequestId { get; set; } = "";

    /// <summary>Hash of the serialized request, to reject the same id with other arguments.</summary>
    [Id(1)]
    public byte[] RequestHash { get; set; } = [];

    /// <summary>Serialized <see cref="Calls.CallOutcome"/>.</summary>
    [Id(2)]
    public byte[] Outcome { get; set; } = [];

    [Id(3)]
    public DateTimeOffset ExpiresAt { get; set; }

    [Id(4)]
    public string MethodName { get; set; } = "";

    /// <summary>Whether cancellation of the root was requested before it finished.</summary>
    [Id(30)]
    public bool CancelRequested { get; set; }

    /// <summary>
    /// Whether the method ended with an <see cref="OperationCanceledException"/> after a cancel request, for its own
    /// token or for none. An exception rethrown after a recovery carries no token, because tokens are not
    /// serialized.
    /// </summary>
    [Id(31)]
    public bool Canceled { get; set; }

    /// <summary>Whether no stored checkpoint contains the result yet. Kept in memory only.</summary>
    [NonSerialized]
    public bool AwaitingWrite;

    /// <summary>Completes when a stored checkpoint contains the result. Kept in memory only.</summary>
    [NonSerialized]
    public TaskCompletionSource Stored = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
