using Immortals.Orleans.Storage;
using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Storage.GrainStorage;
using Immortals.Orleans.Storage.LocalDirectory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Configuration.Overrides;
using Orleans.Serialization;
using Orleans.Storage;

namespace Immortals.Orleans.Hosting;

/// <summary>Creates the checkpoint stores from their named options.</summary>
internal static class CheckpointStorageFactory
{
    public static AzureTableCheckpointStorage CreateAzureTable(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<AzureTableImmortalStorageOptions>>().Get(name);
        var serializer = services.GetRequiredService<Serializer>();
        var binary = new OrleansGrainStorageSerializer(serializer);
        options.Table.GrainStorageSerializer = binary;
        options.Table.UseStringFormat = false;
        options.Table.DeleteStateOnClear = true;
        PrepareBlobOptions(options.SpillBlobs, binary);

        var clusterOptions = OptionsOverrides.GetProviderClusterOptions(services, name);
        var table = ActivatorUtilities.CreateInstance<AzureTableGrainStorage>(
            services,
            name,
            options.Table,
            clusterOptions);
        var spillBlobs = CreateBlobStorage(services, name, options.SpillBlobs);
        return ActivatorUtilities.CreateInstance<AzureTableCheckpointStorage>(
            services,
            name,
            clusterOptions.Value.ServiceId,
            options,
            table,
            spillBlobs,
            new CheckpointSerializer(serializer),
            GetTimeProvider(services));
    }

    public static AzureBlobCheckpointStorage CreateAzureBlob(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<AzureBlobImmortalStorageOptions>>().Get(name);
        var serializer = services.GetRequiredService<Serializer>();
        PrepareBlobOptions(options.Blob, new OrleansGrainStorageSerializer(serializer));
        return ActivatorUtilities.CreateInstance<AzureBlobCheckpointStorage>(
            services,
            name,
            GetServiceId(services, name),
            options,
            CreateBlobStorage(services, name, options.Blob),
            new CheckpointSerializer(serializer),
            GetTimeProvider(services));
    }

    public static LocalDirectoryCheckpointStorage CreateLocalDirectory(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<LocalDirectoryImmortalStorageOptions>>().Get(name);
        return ActivatorUtilities.CreateInstance<LocalDirectoryCheckpointStorage>(
            services,
            name,
            GetServiceId(services, name),
            options,
            new CheckpointSerializer(services.GetRequiredService<Serializer>()),
            GetTimeProvider(services));
    }

    public static GrainStorageCheckpointStorage CreateGrainStorage(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<GrainStorageImmortalStorageOptions>>().Get(name);
        return ActivatorUtilities.CreateInstance<GrainStorageCheckpointStorage>(
            services,
            name,
            GetServiceId(services, name),
            options,
            services,
            GetTimeProvider(services));
    }

    private static void PrepareBlobOptions(AzureBlobStorageOptions options, IGrainStorageSerializer serializer)
    {
        options.GrainStorageSerializer = serializer;
        options.DeleteStateOnClear = true;
    }

    private static AzureBlobGrainStorage CreateBlobStorage(
        IServiceProvider services,
        string name,
        AzureBlobStorageOptions options) =>
        ActivatorUtilities.CreateInstance<AzureBlobGrainStorage>(
            services,
            name,
            options,
            options.BuildContainerFactory(services, options));

    private static string GetServiceId(IServiceProvider services, string name) =>
        OptionsOverrides.GetProviderClusterOptions(services, name).Value.ServiceId;

    private static TimeProvider GetTimeProvider(IServiceProvider services) =>
        services.GetService<TimeProvider>() ?? TimeProvider.System;
}
