using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.StorageFloor;

/// <summary>
/// The rate of conditional (If-Match ETag) Azure Table entity updates that a private Azurite on 127.0.0.1 sustains,
/// with 1 and with 50 concurrent writers that each replace their own entity in a loop. It is the storage floor
/// under every durable step that writes a table entity.
/// </summary>
internal sealed class StorageFloorScenario : IBenchmarkScenario
{
    private const int LargePayloadBytes = 16 * 1024;
    private const int SmallPayloadBytes = 64;

    /// <inheritdoc />
    public string Name => "storage-floor";

    /// <inheritdoc />
    public string Description => "conditional Azure Table updates per second on Azurite, 1 and 50 writers";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var rounds = quick ? 1 : 3;
        var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
        var warmUp = TimeSpan.FromSeconds(1);

        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        report.Note("azurite", $"in-memory, 127.0.0.1, table port {azurite.TablePort}");
        report.Note("method", $"{rounds} round(s) of {duration.TotalSeconds} s after {warmUp.TotalSeconds} s of warm-up; "
            + "rate is the median over rounds, latencies pool all rounds");

        var table = report.StartTable(
            "updates",
            "Conditional table updates (UpdateEntity with If-Match, replace mode)",
            "writers",
            "entity payload (bytes)",
            "updates/s",
            "p50 (ms)",
            "p99 (ms)",
            "max (ms)");

        var service = new TableServiceClient(azurite.ConnectionString);
        foreach (var payload in new[] { SmallPayloadBytes, LargePayloadBytes })
        {
            foreach (var writers in new[] { 1, 50 })
            {
                var client = service.GetTableClient($"floor{Guid.NewGuid():N}");
                await client.CreateAsync();

                var rates = new List<double>();
                var latencies = new List<double>();
                await RunRoundAsync(client, writers, payload, warmUp, latencies: null);
                for (var round = 0; round < rounds; round++)
                {
                    var roundLatencies = new List<double>();
                    rates.Add(await RunRoundAsync(client, writers, payload, duration, roundLatencies));
                    latencies.AddRange(roundLatencies);
                }

                var summary = LatencySummary.Of(latencies);
                table.Add(writers, payload, Median(rates), summary.P50, summary.P99, summary.Max);
                await client.DeleteAsync();
            }
        }

        report.Save(ResultsLocation.LatestJson);
    }

    /// <summary>Runs the writers for <paramref name="duration"/> and returns the updates per second.</summary>
    internal static async Task<double> RunRoundAsync(
        TableClient client,
        int writers,
        int payloadBytes,
        TimeSpan duration,
        List<double>? latencies)
    {
        var perWriter = new List<double>[writers];
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers)
            .Select(writer => Task.Run(async () =>
            {
                perWriter[writer] = await WriteLoopAsync(client, writer, payloadBytes, watch, duration);
            }))
            .ToArray();
        await Task.WhenAll(tasks);
        var elapsed = watch.Elapsed;

        var updates = perWriter.Sum(list => list.Count);
        latencies?.AddRange(perWriter.SelectMany(list => list));
        return updates / elapsed.TotalSeconds;
    }

    /// <summary>
    /// Replaces the writer's own entity with If-Match on the ETag of its previous write until the time is up,
    /// and returns the latency of each update in milliseconds.
    /// </summary>
    private static async Task<List<double>> WriteLoopAsync(
        TableClient client,
        int writer,
        int payloadBytes,
        Stopwatch watch,
        TimeSpan duration)
    {
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        var entity = new TableEntity("floor", $"writer-{writer}") { ["Payload"] = payload, ["Version"] = 0L };

        // The entity may exist from the warm-up round: upsert it once and take its ETag.
        var created = await client.UpsertEntityAsync(entity, TableUpdateMode.Replace);
        var etag = created.Headers.ETag ?? throw new InvalidOperationException("Azurite returned no ETag.");

        var latencies = new List<double>();
        var version = 0L;
        while (watch.Elapsed < duration)
        {
            entity["Version"] = ++version;
            var started = Stopwatch.GetTimestamp();
            var response = await client.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            etag = response.Headers.ETag ?? throw new InvalidOperationException("Azurite returned no ETag.");
        }

        // A stale ETag must be rejected, or the updates measured were not conditional.
        await VerifyStaleETagRejectedAsync(client, entity);
        return latencies;
    }

    private static async Task VerifyStaleETagRejectedAsync(TableClient client, TableEntity entity)
    {
        try
        {
            await client.UpdateEntityAsync(entity, new ETag("W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\""));
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            return;
        }

        throw new InvalidOperationException("Azurite accepted an update with a stale ETag.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
