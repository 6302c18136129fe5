namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// The storage steps from which <see cref="TableCheckpointWriter"/> builds a write. Each step is one storage
/// request, so a test can make any of them fail to model a crash between steps.
/// </summary>
internal interface ITableCheckpointSteps
{
    /// <summary>Creates a new blob with the checkpoint and returns its ETag. Never overwrites a blob.</summary>
    Task<string> UploadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CheckpointEnvelope envelope,
        CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the entity if its ETag is <paramref name="entityETag"/>, or creates it when that is null, and
    /// returns the new ETag. Raises <see cref="global::Orleans.Storage.InconsistentStateException"/> on a mismatch.
    /// </summary>
    Task<string> ReplaceEntryAsync(
        CheckpointIdentity identity,
        TableCheckpointEntry entry,
        string? entityETag,
        CancellationToken cancellationToken);

    /// <summary>Deletes a blob if its ETag is still <paramref name="spillETag"/>.</summary>
    Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken);
}
