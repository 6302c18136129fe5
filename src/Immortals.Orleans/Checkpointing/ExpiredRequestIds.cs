using System.IO.Hashing;
using System.Text;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// Request ids whose retained results expired, kept in the checkpoint after the results are dropped so that a retry
/// with such an id is rejected instead of running the method again.
/// </summary>
/// <remarks>
/// Each id is stored as the 64-bit XxHash64 of its UTF-8 bytes: 8 bytes per id, whatever the id's length. Ids are
/// grouped in buckets by the time after which they may be forgotten, so forgetting drops whole buckets. A bucket
/// spans an eighth of the retention period, so an id is kept for at most an eighth longer than asked. Two ids with
/// the same hash are indistinguishable: a new id that collides with an expired one is rejected as expired. With n
/// expired ids kept, the chance for one new id is about n / 2^64.
/// </remarks>
[GenerateSerializer]
internal sealed class ExpiredRequestIds
{
    [NonSerialized]
    private HashSet<long>? _index;

    /// <summary>The buckets, oldest first.</summary>
    [Id(0)]
    public List<ExpiredRequestIdBucket> Buckets { get; set; } = [];

    /// <summary>Number of ids kept.</summary>
    public int Count => Buckets.Sum(bucket => bucket.Ids.Count);

    /// <summary>Returns whether <paramref name="requestId"/> is kept as expired.</summary>
    public bool Contains(string requestId) => Index().Contains(Hash(requestId));

    /// <summary>
    /// Adds an expired id that may be forgotten after <paramref name="retention"/> has passed since
    /// <paramref name="recordedAt"/>; <see cref="Timeout.InfiniteTimeSpan"/> keeps it for good.
    /// </summary>
    public void Add(string requestId, DateTimeOffset recordedAt, TimeSpan retention)
    {
        var hash = Hash(requestId);
        if (!Index().Add(hash))
        {
            return;
        }

        var forgetAfter = ForgetAfter(recordedAt, retention);
        var bucket = Buckets.Find(candidate => candidate.ForgetAfter == forgetAfter);
        if (bucket is null)
        {
            bucket = new ExpiredRequestIdBucket { ForgetAfter = forgetAfter };
            Buckets.Add(bucket);
            Buckets.Sort((a, b) => a.ForgetAfter.CompareTo(b.ForgetAfter));
        }

        bucket.Ids.Add(hash);
    }

    /// <summary>Drops the buckets whose time has passed and returns the number of ids dropped.</summary>
    public int Forget(DateTimeOffset now)
    {
        var dropped = 0;
        foreach (var bucket in Buckets.Where(bucket => bucket.ForgetAfter <= now).ToList())
        {
            dropped += bucket.Ids.Count;
            Buckets.Remove(bucket);
        }

        if (dropped > 0)
        {
            _index = null;
        }

        return dropped;
    }

    /// <summary>Returns the stored form of a request id.</summary>
    public static long Hash(string requestId) =>
        unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(requestId)));

    private static DateTimeOffset ForgetAfter(DateTimeOffset recordedAt, TimeSpan retention)
    {
        if (retention == Timeout.InfiniteTimeSpan)
        {
            return DateTimeOffset.MaxValue;
        }

        var width = Math.Max(retention.Ticks / 8, TimeSpan.TicksPerSecond);
        var due = recordedAt.UtcTicks + retention.Ticks;
        var rounded = due / width * width + width;
        return rounded >= DateTimeOffset.MaxValue.UtcTicks
            ? DateTimeOffset.MaxValue
            : new DateTimeOffset(rounded, TimeSpan.Zero);
    }

    private HashSet<long> Index()
    {
        if (_index is not null)
        {
            return _index;
        }

        _index = [.. Buckets.SelectMany(bucket => bucket.Ids)];
        return _index;
    }
}
