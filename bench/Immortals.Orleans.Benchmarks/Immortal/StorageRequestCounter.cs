using Azure.Core;
using Azure.Core.Pipeline;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// Counts the HTTP requests that an Azure Storage client sends, each attempt of a retry included: reads (GET and
/// HEAD) and writes (every other method: inserts, updates, merges, deletes, batches).
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _reads;
    private long _writes;

    /// <summary>Requests that read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Requests that write.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var method = message.Request.Method;
        if (method == RequestMethod.Get || method == RequestMethod.Head)
        {
            Interlocked.Increment(ref _reads);
            return;
        }

        Interlocked.Increment(ref _writes);
    }
}
