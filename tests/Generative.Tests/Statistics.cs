namespace Generative.Tests;

/// <summary>Sample statistics for moment tests.</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> values) => values.Average();

    /// <summary>Unbiased sample variance.</summary>
    public static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    /// <summary>Asserts |sampleMean - expected| &lt;= k * sqrt(variance / n).</summary>
    public static void AssertMeanWithinStandardErrors(double expected, double variance, IReadOnlyList<double> samples)
    {
        var standardError = Math.Sqrt(variance / samples.Count);
        var mean = samples.Average();
        Assert.True(Math.Abs(mean - expected) <= Tolerance.StandardErrors * standardError,
            $"sample mean {mean} is more than {Tolerance.StandardErrors} standard errors ({standardError}) from {expected}");
    }

    /// <summary>Asserts the sample variance is within k standard errors of <paramref name="expected"/>, using the
    /// normal-theory standard error of the variance sqrt((mu4 - sigma^4) / n) with a supplied fourth central moment.</summary>
    public static void AssertVarianceWithinStandardErrors(double expected, double fourthCentralMoment, IReadOnlyList<double> samples)
    {
        var standardError = Math.Sqrt((fourthCentralMoment - expected * expected) / samples.Count);
        var variance = Variance(samples);
        Assert.True(Math.Abs(variance - expected) <= Tolerance.StandardErrors * standardError,
            $"sample variance {variance} is more than {Tolerance.StandardErrors} standard errors ({standardError}) from {expected}");
    }
}
