namespace Immortals.Orleans.Benchmarks.Recovery;

/// <summary>Wake-up registry totals reported by a silo process.</summary>
/// <param name="ShardWrites">Registry shard records written by registrations.</param>
/// <param name="EntriesWritten">Registry entries those writes stored.</param>
/// <param name="EntriesFound">Recovery registrations satisfied by a read that already listed the grain.</param>
/// <param name="Conflicts">Registration writes rejected because of an ETag conflict.</param>
/// <param name="Wakes">Wake-up calls of sweeps.</param>
/// <param name="WakeFailures">Wake-up calls of sweeps that failed.</param>
/// <param name="EntriesRemoved">Entries removed by sweeps.</param>
/// <param name="StoreReads">Reads of the checkpoint store, checkpoints and registry shards.</param>
internal readonly record struct RegistryTotals(
    long ShardWrites,
    long EntriesWritten,
    long EntriesFound,
    long Conflicts,
    long Wakes,
    long WakeFailures,
    long EntriesRemoved,
    long StoreReads)
{
    /// <summary>The difference of two readings.</summary>
    public static RegistryTotals operator -(RegistryTotals after, RegistryTotals before) => new(
        after.ShardWrites - before.ShardWrites,
        after.EntriesWritten - before.EntriesWritten,
        after.EntriesFound - before.EntriesFound,
        after.Conflicts - before.Conflicts,
        after.Wakes - before.Wakes,
        after.WakeFailures - before.WakeFailures,
        after.EntriesRemoved - before.EntriesRemoved,
        after.StoreReads - before.StoreReads);

    /// <summary>Formats the totals for a report note.</summary>
    public override string ToString() =>
        $"{ShardWrites} shard writes storing {EntriesWritten} entries, {EntriesFound} entries found listed, "
        + $"{Conflicts} conflicts, {Wakes} wake-up calls ({WakeFailures} failed), {EntriesRemoved} entries removed, "
        + $"{StoreReads} store reads";
}
