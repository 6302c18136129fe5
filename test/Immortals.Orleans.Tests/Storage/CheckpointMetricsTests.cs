using System.Diagnostics.Metrics;
using Immortals.Orleans.Hosting;
using Immortals.Orleans.Storage;

namespace Immortals.Orleans.Tests.Storage;

public sealed class CheckpointMetricsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"immortals-metrics-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Operations_are_measured()
    {
        var provider = $"metrics-{Guid.NewGuid():N}";
        var longs = new List<(string Instrument, long Value, string? Operation)>();
        var durations = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Immortals.Orleans")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Tag(tags, CheckpointStorageMetrics.ProviderTag) == provider)
            {
                lock (longs)
                {
                    longs.Add((instrument.Name, value, Tag(tags, CheckpointStorageMetrics.OperationTag)));
                }
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (Tag(tags, CheckpointStorageMetrics.ProviderTag) == provider)
            {
                lock (durations)
                {
                    durations.Add(Tag(tags, CheckpointStorageMetrics.OperationTag));
                }
            }
        });
        listener.Start();

        await using var harness = await StoreHarness.StartAsync(
            services => services.AddLocalDirectoryImmortalStorage(provider, o => o.Path = _directory),
            providerName: provider);
        var grain = StoreHarness.Grain("metrics");
        var written = await harness.WriteAsync(grain, CheckpointState.Create(1000, 1), null);
        await harness.ReadAsync(grain);
        await Assert.ThrowsAnyAsync<Exception>(() => harness.WriteAsync(grain, CheckpointState.Create(1, 2), null));

        Assert.Contains(longs, m => m.Instrument == "immortals.checkpoint.writes" && m.Value == 1);
        Assert.Contains(longs, m => m.Instrument == "immortals.checkpoint.reads" && m.Value == 1);
        Assert.Contains(longs, m => m.Instrument == "immortals.checkpoint.bytes_written" && m.Value > 1000);
        Assert.Contains(longs, m => m.Instrument == "immortals.checkpoint.bytes_read" && m.Value > 1000);
        Assert.Contains(longs, m => m.Instrument == "immortals.checkpoint.errors" && m.Operation == "write");
        Assert.Contains("read", durations);
        Assert.Contains("write", durations);
        Assert.NotNull(written.ETag);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
