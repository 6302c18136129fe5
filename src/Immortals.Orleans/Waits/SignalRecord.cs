namespace Immortals.Orleans.Waits;

/// <summary>A signal delivered to an immortal grain, kept in its checkpoint until it expires.</summary>
[GenerateSerializer]
internal sealed class SignalRecord
{
    [Id(0)]
    public string SignalId { get; set; } = "";

    /// <summary>The value, serialized as <see cref="object"/> by the Orleans serializer.</summary>
    [Id(1)]
    public byte[] Value { get; set; } = [];

    /// <summary>When the signal was stored, on the silo's <see cref="TimeProvider"/> clock.</summary>
    [Id(2)]
    public DateTimeOffset DeliveredAt { get; set; }

    /// <summary>
    /// When the signal is forgotten: the retention period after a method first received its value, or
    /// <see langword="null"/> while no method has.
    /// </summary>
    [Id(3)]
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Returns a copy with the current values, without the in-memory completion.</summary>
    public SignalRecord Copy() => new()
    {
        SignalId = SignalId,
        Value = Value,
        DeliveredAt = DeliveredAt,
        ExpiresAt = ExpiresAt,
    };

    [NonSerialized]
    private TaskCompletionSource? _stored;

    /// <summary>
    /// Completes once a stored checkpoint contains the signal, or fails when the activation closes first.
    /// </summary>
    public TaskCompletionSource Stored => _stored ??= new(TaskCreationOptions.RunContinuationsAsynchronously);
}
