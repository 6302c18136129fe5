using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Storage.GrainStorage;
using Immortals.Orleans.Storage.LocalDirectory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace Immortals.Orleans.Hosting;

/// <summary>
/// Registers the checkpoint stores of immortal grains as named Orleans grain storage providers.
/// </summary>
/// <remarks>
/// Each method adds a named options instance, a validator that runs at silo start and names the invalid option,
/// and the store itself, which creates its table, container or directory during silo start-up.
/// </remarks>
public static class ImmortalStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds a checkpoint store that keeps checkpoints in an Azure table and moves checkpoints too large for an
    /// entity to Azure blobs.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">Name of the storage provider.</param>
    /// <param name="configure">Sets the options, at least the table and blob service clients.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureTableImmortalStorage(
        this ISiloBuilder builder,
        string name,
        Action<AzureTableImmortalStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureTableImmortalStorage(name, configure);
        return builder;
    }

    /// <summary>Adds a checkpoint store that keeps one Azure blob per grain checkpoint.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">Name of the storage provider.</param>
    /// <param name="configure">Sets the options, at least the blob service client.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddAzureBlobImmortalStorage(
        this ISiloBuilder builder,
        string name,
        Action<AzureBlobImmortalStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAzureBlobImmortalStorage(name, configure);
        return builder;
    }

    /// <summary>
    /// Adds a checkpoint store that keeps one file per grain checkpoint in a local directory, for silos without
    /// Azure. Silos on the same machine may share the directory.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">Name of the storage provider.</param>
    /// <param name="configure">Sets the options, at least the directory path.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddLocalDirectoryImmortalStorage(
        this ISiloBuilder builder,
        string name,
        Action<LocalDirectoryImmortalStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalDirectoryImmortalStorage(name, configure);
        return builder;
    }

    /// <summary>
    /// Adds a checkpoint store that keeps checkpoints in another grain storage provider of the silo, for example
    /// ADO.NET, Cosmos DB or Redis grain storage.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">Name of the storage provider.</param>
    /// <param name="configure">Sets the options, at least the name of the other provider.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddGrainStorageImmortalStorage(
        this ISiloBuilder builder,
        string name,
        Action<GrainStorageImmortalStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrainStorageImmortalStorage(name, configure);
        return builder;
    }

    internal static IServiceCollection AddAzureTableImmortalStorage(
        this IServiceCollection services,
        string name,
        Action<AzureTableImmortalStorageOptions> configure)
    {
        AddOptions(services, name, configure);
        services.AddTransient<IConfigurationValidator>(sp => new AzureTableImmortalStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<AzureTableImmortalStorageOptions>>().Get(name),
            name));
        return services.AddGrainStorage(name, CheckpointStorageFactory.CreateAzureTable);
    }

    internal static IServiceCollection AddAzureBlobImmortalStorage(
        this IServiceCollection services,
        string name,
        Action<AzureBlobImmortalStorageOptions> configure)
    {
        AddOptions(services, name, configure);
        services.AddTransient<IConfigurationValidator>(sp => new AzureBlobImmortalStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<AzureBlobImmortalStorageOptions>>().Get(name),
            name));
        return services.AddGrainStorage(name, CheckpointStorageFactory.CreateAzureBlob);
    }

    internal static IServiceCollection AddLocalDirectoryImmortalStorage(
        this IServiceCollection services,
        string name,
        Action<LocalDirectoryImmortalStorageOptions> configure)
    {
        AddOptions(services, name, configure);
        services.AddTransient<IConfigurationValidator>(sp => new LocalDirectoryImmortalStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<LocalDirectoryImmortalStorageOptions>>().Get(name),
            name));
        return services.AddGrainStorage(name, CheckpointStorageFactory.CreateLocalDirectory);
    }

    internal static IServiceCollection AddGrainStorageImmortalStorage(
        this IServiceCollection services,
        string name,
        Action<GrainStorageImmortalStorageOptions> configure)
    {
        AddOptions(services, name, configure);
        services.AddTransient<IConfigurationValidator>(sp => new GrainStorageImmortalStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<GrainStorageImmortalStorageOptions>>().Get(name),
            name,
            sp));
        return services.AddGrainStorage(name, CheckpointStorageFactory.CreateGrainStorage);
    }

    private static void AddOptions<TOptions>(IServiceCollection services, string name, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TOptions>(name).Configure(configure);
    }
}
