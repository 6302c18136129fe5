using System.Globalization;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// The ETag string that the table store hands to Orleans: the entity's ETag and generation, followed for a
/// checkpoint kept in a blob by that blob's id and ETag, separated by spaces.
/// </summary>
/// <remarks>
/// The generation lets the next write name its blob and entity one generation higher without reading the entity
/// first, and the blob part lets it delete the blob it supersedes. HTTP entity tags contain no spaces (RFC 9110,
/// section 8.8.3), and spill ids are digits, <c>-</c> and hex, so the split is exact. Only the entity ETag decides
/// whether a write may proceed: a token whose other parts were altered still fails on that ETag.
/// </remarks>
/// <param name="EntityETag">ETag of the table entity.</param>
/// <param name="Generation">Generation of the table entity, 0 when the text carried none.</param>
/// <param name="SpillId">Id of the blob that stores the checkpoint, or null when it is inline.</param>
/// <param name="SpillETag">ETag of that blob, or null when it is inline.</param>
internal readonly record struct TableCheckpointToken(
    string EntityETag,
    long Generation,
    string? SpillId,
    string? SpillETag)
{
    /// <summary>Parses a token; null or empty text means no checkpoint was read.</summary>
    public static TableCheckpointToken? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split(' ');
        if (parts.Length is not (2 or 4)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            // This store hands out no text of this shape; the entity ETag check still decides a write with it.
            return new TableCheckpointToken(text, 0, null, null);
        }

        return parts.Length == 4
            ? new TableCheckpointToken(parts[0], generation, parts[2], parts[3])
            : new TableCheckpointToken(parts[0], generation, null, null);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var generation = Generation.ToString(CultureInfo.InvariantCulture);
        return SpillId is null
            ? $"{EntityETag} {generation}"
            : $"{EntityETag} {generation} {SpillId} {SpillETag}";
    }
}
