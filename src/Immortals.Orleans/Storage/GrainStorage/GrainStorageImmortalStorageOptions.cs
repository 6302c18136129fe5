namespace Immortals.Orleans.Storage.GrainStorage;

/// <summary>
/// Options of a checkpoint store that keeps checkpoints in another Orleans grain storage provider of the silo,
/// for example ADO.NET, Cosmos DB or Redis grain storage.
/// </summary>
public sealed class GrainStorageImmortalStorageOptions
{
    /// <summary>
    /// Name of the registered Orleans grain storage provider that keeps the checkpoints. Required; the silo fails
    /// to start when no provider of that name is registered.
    /// </summary>
    public string? ProviderName { get; set; }
}
