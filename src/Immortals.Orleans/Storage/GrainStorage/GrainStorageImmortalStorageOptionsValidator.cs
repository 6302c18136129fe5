using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Storage;

namespace Immortals.Orleans.Storage.GrainStorage;

/// <summary>
/// Checks <see cref="GrainStorageImmortalStorageOptions"/> at silo start, including that the named grain storage
/// provider is registered.
/// </summary>
internal sealed class GrainStorageImmortalStorageOptionsValidator(
    GrainStorageImmortalStorageOptions options,
    string name,
    IServiceProvider services) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        const string kind = GrainStorageCheckpointStorage.StoreKind;
        const string option = nameof(options.ProviderName);
        if (string.IsNullOrWhiteSpace(options.ProviderName))
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                option,
                "is not set. Set it to the name of a registered grain storage provider.");
        }

        if (string.Equals(options.ProviderName, name, StringComparison.Ordinal))
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                option,
                $"names this checkpoint storage itself ('{name}'); name another grain storage provider.");
        }

        var registered = services.GetService<IServiceProviderIsKeyedService>()
            ?.IsKeyedService(typeof(IGrainStorage), options.ProviderName) ?? false;
        if (!registered)
        {
            throw StorageOptionsValidation.Invalid(
                kind,
                name,
                option,
                $"is '{options.ProviderName}', but no grain storage provider of that name is registered. Register " +
                "it on the silo builder (for example AddAdoNetGrainStorage or AddMemoryGrainStorage) or fix the name.");
        }
    }
}
