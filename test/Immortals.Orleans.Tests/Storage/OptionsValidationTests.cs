using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Storage.AzureBlob;
using Immortals.Orleans.Storage.AzureTable;
using Immortals.Orleans.Storage.GrainStorage;
using Immortals.Orleans.Storage.LocalDirectory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Immortals.Orleans.Tests.Storage;

public sealed class OptionsValidationTests
{
    // Never contacted: validation fails or passes before any request.
    private const string UnusedConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Testing.AzuriteProcess.AccountKey +
        ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    [Fact]
    public void Table_without_client_names_option()
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
            options.SpillBlobs.BlobServiceClient = new BlobServiceClient(UnusedConnectionString)));

        Assert.Contains("'cp'", error.Message);
        Assert.Contains("Table.TableServiceClient", error.Message);
    }

    [Fact]
    public void Table_without_spill_client_names_option()
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
            options.Table.TableServiceClient = new TableServiceClient(UnusedConnectionString)));

        Assert.Contains("SpillBlobs.BlobServiceClient", error.Message);
    }

    [Fact]
    public void Table_with_spill_callback_names_option()
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
        {
            options.Table.TableServiceClient = new TableServiceClient(UnusedConnectionString);
            // Obsolete in Orleans 10.4.2, but still a way users configure the client.
#pragma warning disable CS0618
            options.SpillBlobs.ConfigureBlobServiceClient(
                () => Task.FromResult(new BlobServiceClient(UnusedConnectionString)));
#pragma warning restore CS0618
        }));

        Assert.Contains("'cp'", error.Message);
        Assert.Contains("SpillBlobs.BlobServiceClient", error.Message);
        Assert.Contains("ConfigureBlobServiceClient", error.Message);
    }

    [Fact]
    public void Table_with_invalid_table_name_names_option()
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
        {
            ConfigureClients(options);
            options.Table.TableName = "no such-name!";
        }));

        Assert.Contains("option Table", error.Message);
        Assert.Contains("TableName", error.Message);
    }

    [Fact]
    public void Table_with_invalid_container_names_option()
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
        {
            ConfigureClients(options);
            options.SpillBlobs.ContainerName = "Upper_Case";
        }));

        Assert.Contains("option SpillBlobs", error.Message);
        Assert.Contains("ContainerName", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(AzureTableImmortalStorageOptions.MaxInlineBytesLimit + 1)]
    public void Table_with_inline_limit_out_of_range_names_option(int maxInlineBytes)
    {
        var error = Validate(services => services.AddAzureTableImmortalStorage("cp", options =>
        {
            ConfigureClients(options);
            options.MaxInlineBytes = maxInlineBytes;
        }));

        Assert.Contains("MaxInlineBytes", error.Message);
        Assert.Contains(maxInlineBytes.ToString(), error.Message);
    }

    [Fact]
    public void Valid_table_options_pass()
    {
        var services = new ServiceCollection();
        services.AddAzureTableImmortalStorage("cp", ConfigureClients);
        using var provider = services.BuildServiceProvider();

        foreach (var validator in provider.GetServices<IConfigurationValidator>())
        {
            validator.ValidateConfiguration();
        }
    }

    [Fact]
    public void Blob_without_client_names_option()
    {
        var error = Validate(services => services.AddAzureBlobImmortalStorage("cp", _ => { }));

        Assert.Contains(AzureBlobCheckpointStorage.StoreKind, error.Message);
        Assert.Contains("Blob.BlobServiceClient", error.Message);
    }

    [Fact]
    public void Directory_without_path_names_option()
    {
        var error = Validate(services => services.AddLocalDirectoryImmortalStorage("cp", _ => { }));

        Assert.Contains(LocalDirectoryCheckpointStorage.StoreKind, error.Message);
        Assert.Contains("option Path", error.Message);
    }

    [Fact]
    public void Directory_with_zero_lock_timeout_names_option()
    {
        var error = Validate(services => services.AddLocalDirectoryImmortalStorage("cp", options =>
        {
            options.Path = Path.GetTempPath();
            options.LockTimeout = TimeSpan.Zero;
        }));

        Assert.Contains("option LockTimeout", error.Message);
    }

    [Fact]
    public void Provider_name_missing_names_option()
    {
        var error = Validate(services => services.AddGrainStorageImmortalStorage("cp", _ => { }));

        Assert.Contains("option ProviderName", error.Message);
    }

    [Fact]
    public void Unregistered_provider_names_option_and_provider()
    {
        var error = Validate(services => services.AddGrainStorageImmortalStorage("cp", o => o.ProviderName = "redis"));

        Assert.Contains("option ProviderName", error.Message);
        Assert.Contains("'redis'", error.Message);
        Assert.Contains(GrainStorageCheckpointStorage.StoreKind, error.Message);
    }

    [Fact]
    public void Provider_naming_itself_is_rejected()
    {
        var error = Validate(services => services.AddGrainStorageImmortalStorage("cp", o => o.ProviderName = "cp"));

        Assert.Contains("names this checkpoint storage itself", error.Message);
    }

    [Fact]
    public async Task Silo_with_bad_option_fails_to_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddGrainStorageImmortalStorage("checkpoints", o => o.ProviderName = "not-registered"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var configuration = FindConfigurationError(error);
        Assert.NotNull(configuration);
        Assert.Contains("option ProviderName", configuration.Message);
        Assert.Contains("'checkpoints'", configuration.Message);
    }

    private static OrleansConfigurationException Validate(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OrleansConfigurationException>(() =>
        {
            foreach (var validator in provider.GetServices<IConfigurationValidator>())
            {
                validator.ValidateConfiguration();
            }
        });
    }

    private static void ConfigureClients(AzureTableImmortalStorageOptions options)
    {
        options.Table.TableServiceClient = new TableServiceClient(UnusedConnectionString);
        options.SpillBlobs.BlobServiceClient = new BlobServiceClient(UnusedConnectionString);
    }

    private static OrleansConfigurationException? FindConfigurationError(Exception? exception) => exception switch
    {
        null => null,
        OrleansConfigurationException configuration => configuration,
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindConfigurationError)
            .FirstOrDefault(found => found is not null),
        _ => FindConfigurationError(exception.InnerException),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
