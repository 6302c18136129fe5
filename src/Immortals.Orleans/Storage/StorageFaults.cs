using System.Net.Http;
using System.Net.Sockets;
using Azure;

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
}
