using System.Diagnostics;
using System.Globalization;

namespace Immortals.Orleans.Benchmarks.Reporting;

/// <summary>
/// CPU time used over an interval, in cores: by this process, and by the whole machine (from <c>/proc/stat</c>,
/// so other people's builds count too).
/// </summary>
internal sealed class CpuUsage
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _processStart = CurrentProcessTime();
    private readonly (long Busy, long Total)? _machineStart = MachineTicks();

    /// <summary>Cores this process used on average since the instance was created.</summary>
    public double ProcessCores()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        return (CurrentProcessTime() - _processStart) / elapsed;
    }

    /// <summary>Cores the machine was busy on average since the instance was created, or null off Linux.</summary>
    public double? MachineCores()
    {
        if (_machineStart is not { } start || MachineTicks() is not { } end || end.Total == start.Total)
        {
            return null;
        }

        return (double)(end.Busy - start.Busy) / (end.Total - start.Total) * Environment.ProcessorCount;
    }

    private static TimeSpan CurrentProcessTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    // The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...", in clock ticks.
    private static (long Busy, long Total)? MachineTicks()
    {
        const string path = "/proc/stat";
        if (!File.Exists(path))
        {
            return null;
        }

        var fields = File.ReadLines(path).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1)
            .Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture))
            .ToArray();
        var total = fields.Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
