using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Immortals.Orleans.Benchmarks.Immortal;

/// <summary>
/// Counts and times the HTTP requests that an Azure Storage client sends, each attempt of a retry included: reads
/// (GET and HEAD) and writes (every other method: inserts, updates, merges, deletes, batches). The time of a request
/// runs from the moment it enters the transport until its response has arrived.
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private long _reads;
    private long _writes;
    private long _writeTicks;

    /// <summary>Requests that read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Requests that write.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Total time of the write requests.</summary>
    public TimeSpan WriteTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _writeTicks));

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        ProcessNext(message, pipeline);
        Count(message, started);
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        await ProcessNextAsync(message, pipeline);
        Count(message, started);
    }

    private void Count(HttpMessage message, long started)
    {
        var method = message.Request.Method;
        if (method == RequestMethod.Get || method == RequestMethod.Head)
        {
            Interlocked.Increment(ref _reads);
            return;
        }

        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writeTicks, Stopwatch.GetTimestamp() - started);
    }
}
