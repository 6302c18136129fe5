namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// The ETag string that the table store hands to Orleans: the entity's ETag, followed for a checkpoint kept in a
/// blob by that blob's id and ETag, separated by spaces.
/// </summary>
/// <remarks>
/// The blob part lets the next successful write delete the blob it supersedes without reading the entity first.
/// HTTP entity tags contain no spaces (RFC 9110, section 8.8.3), and spill ids are hex, so the split is exact.
/// Only the entity ETag decides whether a write may proceed.
/// </remarks>
/// <param name="EntityETag">ETag of the table entity.</param>
/// <param name="SpillId">Id of the blob that stores the checkpoint, or null when it is inline.</param>
/// <param name="SpillETag">ETag of that blob, or null when it is inline.</param>
internal readonly record struct TableCheckpointToken(string EntityETag, string? SpillId, string? SpillETag)
{
    /// <summary>Parses a token; null or empty text means no checkpoint was read.</summary>
    public static TableCheckpointToken? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split(' ');
        return parts.Length == 3
            ? new TableCheckpointToken(parts[0], parts[1], parts[2])
            : new TableCheckpointToken(text, null, null);
    }

    /// <inheritdoc />
    public override string ToString() =>
        SpillId is null ? EntityETag : $"{EntityETag} {SpillId} {SpillETag}";
}
