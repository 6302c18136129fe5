namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>The mean of a small sample with the half-width of its two-sided 95% confidence interval (Student's t).</summary>
internal static class ConfidenceInterval
{
    // Two-sided 95% quantiles of Student's t distribution for 1 to 30 degrees of freedom.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Returns the mean and the half-width of the 95% confidence interval of the mean.</summary>
    public static (double Mean, double HalfWidth) Of(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            throw new ArgumentException("At least two values are needed.", nameof(values));
        }

        var mean = values.Average();
        var variance = values.Sum(value => (value - mean) * (value - mean)) / (values.Count - 1);
        var degrees = values.Count - 1;
        var t = degrees <= T975.Length ? T975[degrees - 1] : 1.960;
        return (mean, t * Math.Sqrt(variance / values.Count));
    }
}
