namespace Immortals.Orleans.Benchmarks.Overhead;

/// <summary>The mean of a sample with the half-width of its two-sided 95% confidence interval (Student's t).</summary>
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
        return (mean, T975Quantile(values.Count - 1) * Math.Sqrt(variance / values.Count));
    }

    /// <summary>Returns the median of <paramref name="values"/>.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // Above 30 degrees of freedom, the Cornish-Fisher expansion of the t quantile around the normal one is accurate
    // to the third decimal.
    private static double T975Quantile(int degrees)
    {
        if (degrees <= T975.Length)
        {
            return T975[degrees - 1];
        }

        const double z = 1.959964;
        var z3 = z * z * z;
        var z5 = z3 * z * z;
        return z + (z3 + z) / (4.0 * degrees) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * degrees * degrees);
    }
}
