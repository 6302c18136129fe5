namespace Immortals.Orleans.Checkpointing;

/// <summary>
/// One shard of the wake-up registry: the grains that may have methods started by clients or ordinary grains, or
/// pending durable delays, each with the stamp of its last registration.
/// </summary>
/// <remarks>
/// A grain writes a fresh stamp before the first checkpoint that stores a new such method. The sweeper removes an
/// entry only when the grain has no such method, in memory or stored, and only with the shard's ETag read before it
/// asked the grain. A registration that races the sweep changes the ETag and survives.
/// </remarks>
[GenerateSerializer]
internal sealed class RegistryShard
{
    [Id(0)]
    public Dictionary<GrainId, Guid> Grains { get; set; } = [];
}
