using Immortals.Orleans.Roots;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// What one checkpoint contains about request ids: the roots started under one and the cancel requests that arrived
/// before their request. Status lookups read the state of the last stored checkpoint, never state in memory only.
/// </summary>
internal sealed class CapturedRequestState
{
    private CapturedRequestState(
        Dictionary<string, StoredRequestRoot> roots,
        HashSet<string> pendingCancels,
        IReadOnlyList<ActiveRoot> canceledRoots)
    {
        Roots = roots;
        PendingCancels = pendingCancels;
        CanceledRoots = canceledRoots;
    }

    /// <summary>An empty state, for a grain without a checkpoint.</summary>
    public static CapturedRequestState Empty { get; } =
        new(new(StringComparer.Ordinal), new(StringComparer.Ordinal), []);

    /// <summary>Roots by request id.</summary>
    public IReadOnlyDictionary<string, StoredRequestRoot> Roots { get; }

    /// <summary>Request ids with a cancel request that arrived before the request.</summary>
    public IReadOnlySet<string> PendingCancels { get; }

    /// <summary>Roots of this activation whose cancel request the checkpoint contains.</summary>
    public IReadOnlyList<ActiveRoot> CanceledRoots { get; }

    /// <summary>Takes the state of the roots and pending cancel requests that a capture puts into the record.</summary>
    public static CapturedRequestState Of(IEnumerable<ActiveRoot> roots, IEnumerable<string> pendingCancels)
    {
        var byId = new Dictionary<string, StoredRequestRoot>(StringComparer.Ordinal);
        var canceled = new List<ActiveRoot>();
        foreach (var root in roots)
        {
            var record = root.Record;
            if (record.RequestId is null)
            {
                continue;
            }

            byId[record.RequestId] = new StoredRequestRoot(record.MethodName, record.Started, record.CancelRequested);
            if (record.CancelRequested)
            {
                canceled.Add(root);
            }
        }

        return new CapturedRequestState(byId, new HashSet<string>(pendingCancels, StringComparer.Ordinal), canceled);
    }

    /// <summary>Reads the state of a stored record.</summary>
    public static CapturedRequestState Of(IEnumerable<RootRecord> records, IEnumerable<string> pendingCancels)
    {
        var byId = new Dictionary<string, StoredRequestRoot>(StringComparer.Ordinal);
        foreach (var record in records.Where(record => record.RequestId is not null))
        {
            byId[record.RequestId!] = new StoredRequestRoot(record.MethodName, record.Started, record.CancelRequested);
        }

        return new CapturedRequestState(byId, new HashSet<string>(pendingCancels, StringComparer.Ordinal), []);
    }
}
