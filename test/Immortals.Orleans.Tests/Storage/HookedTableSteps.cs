using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureTable;

namespace Immortals.Orleans.Tests.Storage;

/// <summary>
/// Passes every step to the real Azure steps, and runs a hook once before the first entity replacement or the
/// first spill read, so a test can let another writer or a sweep act in that window.
/// </summary>
internal sealed class HookedTableSteps(ITableCheckpointSteps inner) : ITableCheckpointSteps
{
    public Func<Task>? BeforeReplace { get; set; }

    public Func<Task>? BeforeReadSpill { get; set; }

    public Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken) =>
        inner.ReadEntryAsync(identity, cancellationToken);

    public async Task<(CheckpointEnvelope? Envelope, string? ETag)> ReadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CancellationToken cancellationToken)
    {
        await RunOnceAsync(BeforeReadSpill, () => BeforeReadSpill = null);
        return await inner.ReadSpillAsync(identity, spillId, cancellationToken);
    }

    public Task<string> UploadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken) =>
        inner.UploadSpillAsync(identity, spillId, envelope, cancellationToken);

    public async Task<string> ReplaceEntryAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? entityETag,
        CancellationToken cancellationToken)
    {
        await RunOnceAsync(BeforeReplace, () => BeforeReplace = null);
        return await inner.ReplaceEntryAsync(identity, entry, entityETag, cancellationToken);
    }

    public Task DeleteEntryAsync(CheckpointIdentity identity, string entityETag, CancellationToken cancellationToken) =>
        inner.DeleteEntryAsync(identity, entityETag, cancellationToken);

    public Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken) =>
        inner.DeleteSpillAsync(identity, spillId, spillETag, cancellationToken);

    private static async Task RunOnceAsync(Func<Task>? hook, Action clear)
    {
        if (hook is null)
        {
            return;
        }

        clear();
        await hook();
    }
}
