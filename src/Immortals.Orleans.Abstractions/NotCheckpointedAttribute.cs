namespace Immortals.Orleans;

/// <summary>
/// Leaves a field of an immortal grain out of its checkpoints. After recovery the field keeps the value that the
/// grain's constructor gave it.
/// </summary>
/// <remarks>
/// Use it for services injected through the constructor (loggers, grain factories, clients) and for caches that
/// the grain can rebuild. Every other instance field of an immortal grain must be serializable by Orleans.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class NotCheckpointedAttribute : Attribute
{
}
