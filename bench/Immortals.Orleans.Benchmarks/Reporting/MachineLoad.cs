using System.Globalization;

namespace Immortals.Orleans.Benchmarks.Reporting;

/// <summary>The load averages of the machine, read from <c>/proc/loadavg</c>.</summary>
internal static class MachineLoad
{
    /// <summary>Returns the 1-minute load average, or null where <c>/proc/loadavg</c> does not exist.</summary>
    public static double? OneMinute()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }

        var first = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return double.Parse(first, CultureInfo.InvariantCulture);
    }

    /// <summary>Formats a load average for tables and the console.</summary>
    public static string Format(double? load) =>
        load is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "n/a";
}
