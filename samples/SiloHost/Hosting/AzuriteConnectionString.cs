namespace SiloHost.Hosting;

/// <summary>Connection strings of Azurite's development account on 127.0.0.1.</summary>
public static class AzuriteConnectionString
{
    /// <summary>The published key of Azurite's development account <c>devstoreaccount1</c>.</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string AccountName = "devstoreaccount1";

    /// <summary>Builds a connection string with explicit 127.0.0.1 endpoints on the given ports.</summary>
    public static string Build(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";
}
