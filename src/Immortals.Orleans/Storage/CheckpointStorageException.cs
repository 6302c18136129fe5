using Orleans.Runtime;

namespace Immortals.Orleans.Storage;

/// <summary>
/// A checkpoint store failed to read, write or clear a grain's checkpoint for a reason other than an ETag
/// conflict (conflicts raise <see cref="global::Orleans.Storage.InconsistentStateException"/>). The message names
/// the store, the grain and what to do.
/// </summary>
[GenerateSerializer]
[Alias("Immortals.Orleans.Storage.CheckpointStorageException")]
public sealed class CheckpointStorageException : OrleansException
{
    /// <summary>Creates an exception with the store, the grain, a message and the cause.</summary>
    /// <param name="providerName">Name of the storage provider.</param>
    /// <param name="storeKind">Kind of the store, for example <c>Azure Blob</c>.</param>
    /// <param name="grainId">The grain whose checkpoint failed.</param>
    /// <param name="isCorrupt">True when the stored checkpoint exists but cannot be read.</param>
    /// <param name="message">The complete message.</param>
    /// <param name="innerException">The cause, or null.</param>
    public CheckpointStorageException(
        string providerName,
        string storeKind,
        string grainId,
        bool isCorrupt,
        string message,
        Exception? innerException)
        : base(message, innerException!)
    {
        ProviderName = providerName;
        StoreKind = storeKind;
        GrainId = grainId;
        IsCorrupt = isCorrupt;
    }

    /// <summary>Name of the storage provider.</summary>
    [Id(0)]
    public string ProviderName { get; }

    /// <summary>Kind of the store, for example <c>Azure Blob</c>.</summary>
    [Id(1)]
    public string StoreKind { get; }

    /// <summary>The grain whose checkpoint failed.</summary>
    [Id(2)]
    public string GrainId { get; }

    /// <summary>
    /// True when the stored checkpoint exists but cannot be read. The store keeps it unchanged: a grain that has not
    /// read it successfully cannot overwrite it, because its writes carry no matching ETag.
    /// </summary>
    [Id(3)]
    public bool IsCorrupt { get; }
}
