namespace SiloHost.Hosting;

/// <summary>Values of <see cref="SampleSettings.Clustering"/>.</summary>
public static class ClusteringKinds
{
    /// <summary>Orleans development clustering on 127.0.0.1: the primary silo keeps the membership table.</summary>
    public const string Localhost = "localhost";

    /// <summary>Membership in an Azure table of the storage account.</summary>
    public const string Azure = "azure";
}
