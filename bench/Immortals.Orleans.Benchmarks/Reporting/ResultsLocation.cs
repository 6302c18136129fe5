using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.Reporting;

/// <summary>Where the scenarios write their machine-readable figures.</summary>
internal static class ResultsLocation
{
    /// <summary>The path of <c>bench/results/latest.json</c> in the repository.</summary>
    public static string LatestJson =>
        Path.Combine(AzuriteProcess.FindRepositoryRoot(), "bench", "results", "latest.json");
}
