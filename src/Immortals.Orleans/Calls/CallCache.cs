namespace Immortals.Orleans.Calls;

/// <summary>
/// Outgoing calls of one immortal grain activation by sequence number: calls without a result yet, and
/// completed calls whose result a frame may still read.
/// </summary>
internal sealed class CallCache
{
    private readonly SortedDictionary<long, PendingCall> _calls = [];

    public int Count => _calls.Count;

    public IEnumerable<PendingCall> All => _calls.Values;

    public void Add(PendingCall call) => _calls.Add(call.Sequence, call);

    public bool TryGet(long sequence, out PendingCall call) => _calls.TryGetValue(sequence, out call!);

    public void Remove(long sequence) => _calls.Remove(sequence);

    /// <summary>
    /// Returns the sequence number below which <paramref name="target"/> may forget this caller's calls: the
    /// lowest call to it without a stored result, or <paramref name="nextSequence"/> when there is none.
    /// </summary>
    /// <remarks>
    /// NOTE: a one-way call to an immortal grain counts as done once the callee has stored its request, so the
    /// number can pass a one-way call whose method is still running on the callee. The callee's compaction then
    /// marks that call done while its root runs, and the caller acknowledges its result push at once.
    /// </remarks>
    public long DoneBelow(GrainId target, long nextSequence)
    {
        foreach (var call in _calls.Values)
        {
            if (call.Record.Target == target && call.State != CallState.Durable)
            {
                return call.Sequence;
            }
        }

        return nextSequence;
    }
}
