namespace SiloHost.Hosting;

/// <summary>Values of <see cref="SampleSettings.Storage"/>.</summary>
public static class StorageKinds
{
    /// <summary>A local directory, no server needed.</summary>
    public const string Local = "local";

    /// <summary>Azure Table and Blob storage on an Azurite on 127.0.0.1.</summary>
    public const string Azurite = "azurite";

    /// <summary>Azure Table and Blob storage of the account in the connection string.</summary>
    public const string Azure = "azure";
}
