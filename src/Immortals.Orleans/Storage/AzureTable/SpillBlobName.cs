using System.Globalization;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>
/// Names of spill blobs: <c>{checkpoint name}/{spill id}</c>, where the spill id is the generation of the entity
/// that will point to the blob, as 19 digits, a <c>-</c> and the write id as 32 hex digits.
/// </summary>
/// <remarks>
/// Encoded checkpoint names never contain <c>/</c>, so the part before the last <c>/</c> names the checkpoint and
/// a listing by the prefix <c>{checkpoint name}/</c> returns exactly its blobs. The generation in the name lets a
/// sweep tell a blob whose write may still succeed from an orphan without reading the blob.
/// </remarks>
internal static class SpillBlobName
{
    private const int GenerationDigits = 19;

    /// <summary>Creates the spill id of a write.</summary>
    public static string CreateSpillId(long generation, Guid writeId) =>
        generation.ToString("D19", CultureInfo.InvariantCulture) + "-" + writeId.ToString("N");

    /// <summary>Returns the blob name of a spill id.</summary>
    public static string Format(string checkpointName, string spillId) => $"{checkpointName}/{spillId}";

    /// <summary>Returns the prefix that all spill blobs of a checkpoint share.</summary>
    public static string Prefix(string checkpointName) => checkpointName + "/";

    /// <summary>Reads the generation from a spill id, or returns false when the text is not a spill id.</summary>
    public static bool TryParseGeneration(string spillId, out long generation)
    {
        generation = 0;
        return spillId.Length == GenerationDigits + 1 + 32
            && spillId[GenerationDigits] == '-'
            && Guid.TryParseExact(spillId.AsSpan(GenerationDigits + 1), "N", out _)
            && long.TryParse(
                spillId.AsSpan(0, GenerationDigits),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out generation);
    }

    /// <summary>Splits a blob name into checkpoint name, spill id and generation.</summary>
    public static bool TryParse(string blobName, out string checkpointName, out string spillId, out long generation)
    {
        var slash = blobName.LastIndexOf('/');
        checkpointName = slash > 0 ? blobName[..slash] : "";
        spillId = slash > 0 ? blobName[(slash + 1)..] : "";
        generation = 0;
        return slash > 0 && TryParseGeneration(spillId, out generation);
    }
}
