using System.Diagnostics;
using Azure.Data.Tables;
using Immortals.Orleans.Benchmarks.Reporting;
using Immortals.Orleans.Testing;

namespace Immortals.Orleans.Benchmarks.StorageFloor;

/// <summary>
/// The latency of one writer's conditional table updates on a private Azurite, under the conditions that differ
/// between the <c>storage-floor</c> loop and a durable step: the rows already in the table, the entity's property
/// layout, and whether the client's threads stay busy or go idle between two updates.
/// </summary>
internal sealed class StorageIdleScenario : IBenchmarkScenario
{
    private const int PayloadBytes = 1024;
    private const int FillPayloadBytes = 800;
    private const int FillBatchSize = 100;
    private const int FillPartitions = 50;
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(1);

    /// <inheritdoc />
    public string Name => "storage-idle";

    /// <inheritdoc />
    public string Description =>
        "conditional Azure Table update latency of one writer: rows in the table, properties, busy or idle gaps";

    /// <inheritdoc />
    public async Task RunAsync(bool quick)
    {
        var updates = quick ? 500 : 2000;
        var report = new ScenarioReport(Name, quick);
        await using var azurite = await AzuriteProcess.StartAsync();
        report.Note("azurite", "in-memory, 127.0.0.1");
        report.Note("method", $"one writer replaces its 1 KiB entity with If-Match {updates} times after as many "
            + "updates of warm-up; a busy gap keeps a thread pool thread working for 1 ms between two updates, an "
            + "idle gap awaits Task.Delay(1 ms)");

        var table = report.StartTable(
            "updates",
            "Conditional updates by one writer (UpdateEntity with If-Match, replace mode)",
            "case",
            "other rows in the table",
            "p50 (ms)",
            "p99 (ms)");
        var service = new TableServiceClient(azurite.ConnectionString);
        foreach (var rows in new[] { 10, 1_000, 10_000 })
        {
            var client = await CreateTableAsync(service, rows);
            await MeasureAsync(client, updates, properties: 1, GapKind.None);
            var summary = await MeasureAsync(client, updates, properties: 1, GapKind.None);
            table.Add("back to back", rows, summary.P50, summary.P99);
            await client.DeleteAsync();
        }

        var plain = await CreateTableAsync(service, 0);
        await MeasureAsync(plain, updates, properties: 1, GapKind.None);
        foreach (var (name, properties, gap) in new[]
        {
            ("back to back", 1, GapKind.None),
            ("4 binary properties", 4, GapKind.None),
            ("busy gap", 1, GapKind.Busy),
            ("idle gap", 1, GapKind.Idle),
            ("back to back, again", 1, GapKind.None),
        })
        {
            var summary = await MeasureAsync(plain, updates, properties, gap);
            table.Add(name, 0, summary.P50, summary.P99);
        }

        await plain.DeleteAsync();
        report.Save(ResultsLocation.LatestJson);
    }

    private static async Task<TableClient> CreateTableAsync(TableServiceClient service, int rows)
    {
        var client = service.GetTableClient($"idle{Guid.NewGuid():N}");
        await client.CreateAsync();
        var fill = new byte[FillPayloadBytes];
        Random.Shared.NextBytes(fill);

        // A table transaction may contain entities of one partition only, so the rows go in partition by partition.
        var entities = Enumerable.Range(0, rows)
            .Select(row => new TableEntity($"fill{row % FillPartitions}", $"row{row}") { ["Payload"] = fill })
            .GroupBy(entity => entity.PartitionKey);
        foreach (var partition in entities)
        {
            foreach (var batch in partition.Chunk(FillBatchSize))
            {
                await client.SubmitTransactionAsync(batch.Select(entity =>
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)));
            }
        }

        return client;
    }

    /// <summary>Replaces the writer's entity with If-Match on its last ETag and times each update.</summary>
    private static async Task<LatencySummary> MeasureAsync(
        TableClient client,
        int updates,
        int properties,
        GapKind gap)
    {
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        var entity = new TableEntity("writer", "checkpoint") { ["Version"] = 0L };
        var share = PayloadBytes / properties;
        for (var property = 0; property < properties; property++)
        {
            entity[$"Data{property}"] = payload[(property * share)..((property + 1) * share)];
        }

        var etag = (await client.UpsertEntityAsync(entity, TableUpdateMode.Replace)).Headers.ETag
            ?? throw new InvalidOperationException("Azurite returned no ETag.");
        var latencies = new List<double>(updates);
        for (var update = 1; update <= updates; update++)
        {
            entity["Version"] = (long)update;
            var started = Stopwatch.GetTimestamp();
            var response = await client.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            etag = response.Headers.ETag ?? throw new InvalidOperationException("Azurite returned no ETag.");
            await WaitAsync(gap);
        }

        return LatencySummary.Of(latencies);
    }

    private static async Task WaitAsync(GapKind gap)
    {
        switch (gap)
        {
            case GapKind.Busy:
                // Yielding keeps this work on the thread pool, so its threads stay awake for the whole gap.
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(started) < Gap)
                {
                    await Task.Yield();
                }

                break;
            case GapKind.Idle:
                await Task.Delay(Gap);
                break;
        }
    }

    private enum GapKind
    {
        None,
        Busy,
        Idle,
    }
}
