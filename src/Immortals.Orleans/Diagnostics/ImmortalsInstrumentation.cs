using System.Diagnostics.Metrics;

namespace Immortals.Orleans.Diagnostics;

/// <summary>
/// The one <see cref="System.Diagnostics.Metrics.Meter"/> of the plugin. Every part of the plugin creates its
/// instruments on this meter, so a listener subscribes to the single name <see cref="MeterName"/>.
/// </summary>
internal static class ImmortalsInstrumentation
{
    /// <summary>Name of the meter, the same as the package name.</summary>
    public const string MeterName = "Immortals.Orleans";

    /// <summary>The shared meter.</summary>
    public static readonly Meter Meter = new(
        MeterName,
        typeof(ImmortalsInstrumentation).Assembly.GetName().Version?.ToString());
}
