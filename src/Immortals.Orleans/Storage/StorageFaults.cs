using System.Net.Http;
using System.Net.Sockets;
using Azure;
using Orleans.Storage;

namespace Immortals.Orleans.Storage;

/// <summary>Tells failures to reach storage apart from failures to decode what storage returned.</summary>
internal static class StorageFaults
{
    /// <summary>
    /// Returns true when the exception, or any exception inside it, comes from the transport: an Azure request that
    /// failed, an HTTP or socket error, an I/O error or a timeout.
    /// </summary>
    public static bool IsTransportFailure(Exception exception)
    {
        switch (exception)
        {
            case RequestFailedException or HttpRequestException or SocketException or IOException or TimeoutException:
                return true;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Any(IsTransportFailure);
            default:
                return exception.InnerException is { } inner && IsTransportFailure(inner);
        }
    }

    /// <summary>
    /// Returns true when a conditional write that failed with this exception may nevertheless have been applied:
    /// an ETag conflict (the retry of a request whose response was lost gets 412 or 409), a transport failure, or
    /// a timeout that <paramref name="cancellationToken"/> did not cause.
    /// </summary>
    public static bool IsAmbiguousOutcome(Exception exception, CancellationToken cancellationToken) =>
        exception is InconsistentStateException
        || IsTransportFailure(exception)
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
