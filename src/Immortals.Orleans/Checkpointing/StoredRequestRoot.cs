namespace Immortals.Orleans.Checkpointing;

/// <summary>A root started under a request id, as a checkpoint stores it.</summary>
/// <param name="MethodName">The grain method, as <c>Interface.Method</c>.</param>
/// <param name="Started">Whether the method had started.</param>
/// <param name="CancelRequested">Whether the checkpoint contains a cancel request for the root.</param>
internal sealed record StoredRequestRoot(string MethodName, bool Started, bool CancelRequested);
