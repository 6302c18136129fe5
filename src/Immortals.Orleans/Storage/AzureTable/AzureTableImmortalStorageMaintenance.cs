using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.AzureTable;

/// <summary>Maintenance operations of the Azure Table checkpoint stores, for a silo's own background jobs.</summary>
public static class AzureTableImmortalStorageMaintenance
{
    /// <summary>
    /// Deletes the spill blobs of a checkpoint store that no table entity points to and that no pending write can make
    /// an entity point to, and returns how many it deleted.
    /// </summary>
    /// <remarks>
    /// A blob is deleted when it is older than <paramref name="minimumAge"/>, its generation is at most the
    /// entity's and the entity points to another blob. A write in progress uploads its blob with a generation above
    /// the entity's, so the sweep may run while grains write. Blobs of a checkpoint without an entity are deleted on
    /// age alone, so keep <paramref name="minimumAge"/> far above the storage request timeouts, for example one hour.
    /// The sweep lists the whole spill container and reads one entity per checkpoint that has blobs.
    /// </remarks>
    /// <param name="services">The silo's services.</param>
    /// <param name="providerName">Name of a store registered with <c>AddAzureTableImmortalStorage</c>.</param>
    /// <param name="minimumAge">Minimum age of a blob before it may be deleted.</param>
    /// <param name="cancellationToken">Stops the sweep between requests.</param>
    public static Task<int> DeleteOrphanSpillBlobsAsync(
        IServiceProvider services,
        string providerName,
        TimeSpan minimumAge,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(providerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumAge, TimeSpan.Zero);

        var storage = services.GetKeyedService<IGrainStorage>(providerName);
        if (storage is not AzureTableCheckpointStorage table)
        {
            var found = storage is null ? "not registered" : $"a {storage.GetType().Name}";
            throw new ArgumentException(
                $"Storage provider '{providerName}' is {found}, not an Azure Table checkpoint store. Pass the name " +
                "given to AddAzureTableImmortalStorage.",
                nameof(providerName));
        }

        return table.DeleteOrphanBlobsAsync(minimumAge, cancellationToken);
    }
}
