using Orleans.Concurrency;

namespace Immortals.Orleans;

/// <summary>
/// Status and cancellation of the methods that clients start under request ids, installed on immortal grains as a
/// grain extension. Its methods interleave with the grain's own methods, so neither waits for a suspended method.
/// A lookup requests no write; a cancel request waits for one write. Call it through <see cref="ImmortalRequests"/>.
/// </summary>
public interface IImmortalRequestExtension : IGrainExtension
{
    /// <summary>Returns the stored status of the method started under <paramref name="requestId"/>.</summary>
    /// <param name="requestId">The request id.</param>
    [AlwaysInterleave]
    Task<ImmortalRequestStatus> GetStatus(string requestId);

    /// <summary>
    /// Stores a request to cancel the method started under <paramref name="requestId"/> and then cancels its
    /// token. Returns the status once a stored checkpoint contains the request.
    /// </summary>
    /// <param name="requestId">The request id.</param>
    [AlwaysInterleave]
    Task<ImmortalRequestStatus> Cancel(string requestId);
}
