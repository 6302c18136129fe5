using Immortals.Orleans.Calls;
using Immortals.Orleans.Delivery;
using Immortals.Orleans.Roots;
using Immortals.Orleans.Waits;

namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// The checkpoint of one immortal grain: its fields, its suspended methods, its calls and what it owes its callers.
/// Every write replaces the whole record under the ETag of the previous one.
/// </summary>
[GenerateSerializer]
internal sealed class CheckpointRecord
{
    /// <summary>Format of the record this code writes.</summary>
    public const int CurrentFormat = 1;

    [Id(0)]
    public int Format { get; set; } = CurrentFormat;

    /// <summary>
    /// Fresh id of every write. After an ETag conflict the writer reads the record back: its own write id means
    /// its write succeeded and only the response was lost.
    /// </summary>
    [Id(1)]
    public Guid WriteId { get; set; }

    /// <summary>Incarnation of the grain, created with its first checkpoint and kept across recoveries.</summary>
    [Id(2)]
    public Guid Incarnation { get; set; }

    /// <summary>Next sequence number of an outgoing call.</summary>
    [Id(3)]
    public long NextSequence { get; set; } = 1;

    /// <summary>Next root id.</summary>
    [Id(4)]
    public long NextRootId { get; set; } = 1;

    /// <summary>Names of the stored grain fields, in the order of <see cref="Fields"/>.</summary>
    [Id(5)]
    public string[] FieldNames { get; set; } = [];

    /// <summary>Serialized values of the stored grain fields.</summary>
    [Id(6)]
    public byte[] Fields { get; set; } = [];

    /// <summary>Snapshot of the suspended methods, or <see langword="null"/> when none is suspended.</summary>
    [Id(7)]
    public byte[]? Frames { get; set; }

    /// <summary>
    /// Whether the field values are the first values of <see cref="Frames"/> instead of <see cref="Fields"/>.
    /// </summary>
    [Id(13)]
    public bool FieldsInFrames { get; set; }

    [Id(8)]
    public List<CallRecord> Calls { get; set; } = [];

    [Id(9)]
    public List<RootRecord> Roots { get; set; } = [];

    // NOTE: the outbox, the queued roots and the retained request results have no cap and are rewritten by every
    // write of the record.
    [Id(10)]
    public List<OutboxEntry> Outbox { get; set; } = [];

    [Id(11)]
    public List<CallerWatermark> Callers { get; set; } = [];

    [Id(12)]
    public List<RetainedResult> RequestResults { get; set; } = [];

    /// <summary>Request ids whose retained results expired, so that a retry with one is rejected.</summary>
    [Id(30)]
    public ExpiredRequestIds ExpiredRequestIds { get; set; } = new();

    /// <summary>Cancel requests for request ids that the grain had not admitted when they arrived.</summary>
    [Id(31)]
    public List<PendingCancel> PendingCancels { get; set; } = [];

    /// <summary>Durable delays and signal waits that suspended methods await.</summary>
    [Id(20)]
    public List<WaitRecord> Waits { get; set; } = [];

    /// <summary>Signals delivered to the grain that have not expired.</summary>
    [Id(21)]
    public List<SignalRecord> Signals { get; set; } = [];
}
