namespace Immortals.Orleans.IntegrationTests.Cluster;

/// <summary>Writes test progress into the silo log file named by IMMORTALS_TEST_LOG, when set.</summary>
internal static class TestLog
{
    public static void Write(string message) => FileLoggerProvider.Append("TEST: " + message);
}
