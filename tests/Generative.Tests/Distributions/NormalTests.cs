using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class NormalTests
{
    [Fact]
    public void LogProb_AtMean_IsMinusLogSigmaRootTwoPi()
    {
        var normal = new Normal(1.5, 2.0);

        Assert.Equal(-Math.Log(2.0 * Math.Sqrt(2 * Math.PI)), normal.LogProb(1.5), Tolerance.ClosedForm);
    }

    [Fact]
    public void LogProb_Density_IntegratesToOne()
    {
        var normal = new Normal(-0.5, 0.7);
        // Trapezoid rule over mu +- 12 sigma; the density's smoothness makes the error far below the tolerance.
        const int steps = 20_000;
        double lo = -0.5 - 12 * 0.7, hi = -0.5 + 12 * 0.7, h = (hi - lo) / steps;
        var integral = 0.0;
        for (var i = 0; i <= steps; i++)
        {
            var weight = i is 0 or steps ? 0.5 : 1.0;
            integral += weight * Math.Exp(normal.LogProb(lo + i * h));
        }

        Assert.Equal(1.0, integral * h, Tolerance.Numerical);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]      // Phi(1)
    [InlineData(-1.96, 0.024997895148220435)]  // Phi(-1.96)
    [InlineData(-3.0, 0.0013498980316300946)]  // Phi(-3)
    [InlineData(-5.0, 2.866515718791939e-07)]  // Phi(-5), the continued-fraction branch
    public void Cdf_StandardNormal_MatchesKnownValues(double x, double expected)
    {
        // Known values of the standard normal CDF; compared relatively so tail values are checked meaningfully.
        Assert.Equal(expected, new Normal(0, 1).Cdf(x), expected * 1e-12);
    }

    [Fact]
    public void Cdf_Derivative_IsDensity()
    {
        var normal = new Normal(2, 3);
        const double h = 1e-4;

        foreach (var x in new[] { -6.0, 0.0, 2.0, 5.5, 11.0 })
        {
            var derivative = (normal.Cdf(x + h) - normal.Cdf(x - h)) / (2 * h);
            Assert.Equal(Math.Exp(normal.LogProb(x)), derivative, Tolerance.Numerical);
        }
    }

    [Fact]
    public void Entropy_Always_MatchesClosedForm()
    {
        Assert.Equal(0.5 * Math.Log(2 * Math.PI * Math.E * 4), new Normal(0, 2).Entropy, Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_Values_EqualsMeanAndBiasedStd()
    {
        double[] values = [1, 2, 4, 7];
        // mean 3.5; squared deviations 6.25 + 2.25 + 0.25 + 12.25 = 21; biased variance 21 / 4
        var normal = Normal.Fit(values);

        Assert.Equal(3.5, normal.Mean, Tolerance.ClosedForm);
        Assert.Equal(Math.Sqrt(21 / 4.0), normal.Std, Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_EqualValues_ThrowsExplainingZeroStd()
    {
        var error = Assert.Throws<ArgumentException>(() => Normal.Fit([2.0, 2.0]));
        Assert.Contains("standard deviation is 0", error.Message);
    }

    [Fact]
    public void Constructor_NonPositiveStd_ThrowsNamingStd()
    {
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => new Normal(0, 0)).ParamName);
    }

    [Fact]
    public void Sample_ManyDraws_MomentsWithinStandardErrors()
    {
        var normal = new Normal(3, 0.5);
        var samples = normal.Sample(50_000, new Generator(10));

        Statistics.AssertMeanWithinStandardErrors(3, 0.25, samples);
        Statistics.AssertVarianceWithinStandardErrors(0.25, 3 * 0.25 * 0.25, samples);
    }
}
