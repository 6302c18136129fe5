using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<(long Started, long Ended)> _writeSpans = new();
    private volatile bool _recordingSpans;

    /// <summary>Requests that read.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Requests that write.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Total time of the write requests.</summary>
    public TimeSpan WriteTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _writeTicks));

    /// <summary>
    /// Starts keeping the <see cref="Stopwatch"/> timestamps at which each write request entered the transport and
    /// received its response, forgetting the spans kept before.
    /// </summary>
    public void StartRecordingWriteSpans()
    {
        _writeSpans.Clear();
        _recordingSpans = true;
    }

    /// <summary>Stops keeping write spans and returns those kept since the recording started.</summary>
    public IReadOnlyList<(long Started, long Ended)> StopRecordingWriteSpans()
    {
        _recordingSpans = false;
        return _writeSpans.ToArray();
    }

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

        var ended = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writeTicks, ended - started);
        if (_recordingSpans)
        {
            _writeSpans.Enqueue((started, ended));
        }
    }
}
