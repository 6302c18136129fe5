namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// The storage requests from which the table store builds its reads and writes. Each step is one storage request,
/// so a test can make any of them fail, or run something else before it, to model a crash or a race.
/// </summary>
internal interface ITableCheckpointSteps
{
    /// <summary>
    /// Reads the entity's record and ETag. Returns (null, null) when there is no entity and a null record with an
    /// ETag when the entity contains no record.
    /// </summary>
    Task<(TableCheckpointEntry? Entry, string? ETag)> ReadEntryAsync(
        CheckpointIdentity identity,
        CancellationToken cancellationToken);

    /// <summary>Reads a spill blob's envelope and ETag, or returns (null, null) when the blob does not exist.</summary>
    Task<(CheckpointEnvelope? Envelope, string? ETag)> ReadSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        CancellationToken cancellationToken);

    /// <summary>
    /// Creates a new blob with the checkpoint under <c>If-None-Match: *</c> and returns its ETag. Never overwrites
    /// a blob.
    /// </summary>
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

    /// <summary>
    /// Deletes the entity if its ETag is <paramref name="entityETag"/>. Raises
    /// <see cref="global::Orleans.Storage.InconsistentStateException"/> on a mismatch.
    /// </summary>
    Task DeleteEntryAsync(CheckpointIdentity identity, string entityETag, CancellationToken cancellationToken);

    /// <summary>Deletes a blob if its ETag is still <paramref name="spillETag"/>; a missing blob is no error.</summary>
    Task DeleteSpillAsync(
        CheckpointIdentity identity,
        string spillId,
        string spillETag,
        CancellationToken cancellationToken);
}
