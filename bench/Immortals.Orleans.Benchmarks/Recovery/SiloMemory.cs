namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>Memory and checkpoint totals reported by a silo process.</summary>
/// <param name="GcHeapBytes">GC heap after a full compacting collection.</param>
/// <param name="WorkingSetBytes">Working set of the process.</param>
/// <param name="Checkpoints">Checkpoints written by immortal activations.</param>
/// <param name="StoredBytes">Serialized bytes the checkpoint store wrote.</param>
/// <param name="StoreWrites">Writes the checkpoint store completed, wake-up registry included.</param>
/// <param name="StoreConflicts">Store operations rejected because of an ETag conflict.</param>
internal readonly record struct SiloMemory(
    long GcHeapBytes,
    long WorkingSetBytes,
    long Checkpoints,
    long StoredBytes,
    long StoreWrites,
    long StoreConflicts);
