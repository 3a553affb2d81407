using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class MultivariateNormalTests
{
    [Fact]
    public void LogProb_TwoDimensional_MatchesExplicitInverseAndDeterminant()
    {
        double a = 2.0, b = 0.6, c = 0.5; // Sigma = [[a, b], [b, c]]
        var mvn = new MultivariateNormal([1.0, -1.0], new[,] { { a, b }, { b, c } });
        double x = 0.3, y = 0.2;

        // Closed form with the 2 x 2 inverse (1/det) [[c, -b], [-b, a]].
        var det = a * c - b * b;
        double dx = x - 1, dy = y + 1;
        var quadratic = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
        var expected = -0.5 * quadratic - 0.5 * Math.Log(det) - Math.Log(2 * Math.PI);

        Assert.Equal(expected, mvn.LogProb(x, y), Tolerance.ClosedForm);
        Assert.Equal(expected, mvn.LogProb([x, y]), Tolerance.ClosedForm);
    }

    [Fact]
    public void LogProb_DiagonalCovariance_IsSumOfUnivariateLogProbs()
    {
        var mvn = new MultivariateNormal([0.0, 1.0, 2.0], new[,] { { 1.0, 0, 0 }, { 0, 4.0, 0 }, { 0, 0, 0.25 } });
        double[] x = [0.5, -1.0, 2.2];

        var expected = new Normal(0, 1).LogProb(0.5) + new Normal(1, 2).LogProb(-1.0) + new Normal(2, 0.5).LogProb(2.2);

        Assert.Equal(expected, mvn.LogProb(x), Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_Points_EqualsMeanAndBiasedCovariance()
    {
        double[][] points = [[0, 0], [2, 1], [4, 5]];
        // mean (2, 2); deviations (-2, -2), (0, -1), (2, 3)
        // Sxx = 8/3, Syy = (4 + 1 + 9)/3 = 14/3, Sxy = (4 + 0 + 6)/3 = 10/3
        var mvn = MultivariateNormal.Fit(points);
        var diagonal = MultivariateNormal.Fit(points, diagonal: true);

        Assert.Equal([2.0, 2.0], mvn.Mean);
        Assert.Equal(8 / 3.0, mvn.Covariance[0, 0], Tolerance.ClosedForm);
        Assert.Equal(14 / 3.0, mvn.Covariance[1, 1], Tolerance.ClosedForm);
        Assert.Equal(10 / 3.0, mvn.Covariance[0, 1], Tolerance.ClosedForm);
        Assert.Equal(0.0, diagonal.Covariance[0, 1]);
        Assert.Equal(8 / 3.0, diagonal.Covariance[0, 0], Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_CoordinateLists_SameAsRows()
    {
        double[] xs = [0, 2, 4, 1];
        double[] ys = [0, 1, 5, 1];

        var fromLists = MultivariateNormal.Fit(xs, ys);
        var fromRows = MultivariateNormal.Fit(xs.Select((x, i) => new[] { x, ys[i] }).ToArray());

        Assert.Equal(fromRows.LogProb(1, 1), fromLists.LogProb(1, 1));
    }

    [Fact]
    public void Sample_ManyDraws_MeanAndCovarianceWithinStandardErrors()
    {
        double[,] covariance = { { 1.0, 0.8 }, { 0.8, 2.0 } };
        var mvn = new MultivariateNormal([1.0, -2.0], covariance);
        const int count = 40_000;
        var samples = mvn.Sample(count, new Generator(77));

        var xs = samples.Select(s => s[0]).ToArray();
        var ys = samples.Select(s => s[1]).ToArray();
        Statistics.AssertMeanWithinStandardErrors(1.0, 1.0, xs);
        Statistics.AssertMeanWithinStandardErrors(-2.0, 2.0, ys);
        // Products of the centred coordinates have mean Sigma_xy and variance Sigma_xx Sigma_yy + Sigma_xy^2.
        var products = samples.Select(s => (s[0] - 1.0) * (s[1] + 2.0)).ToArray();
        Statistics.AssertMeanWithinStandardErrors(0.8, 1.0 * 2.0 + 0.8 * 0.8, products);
    }

    [Fact]
    public void Entropy_Always_MatchesClosedForm()
    {
        var mvn = new MultivariateNormal([0.0, 0.0], new[,] { { 2.0, 0.5 }, { 0.5, 1.0 } });

        Assert.Equal(0.5 * Math.Log(Math.Pow(2 * Math.PI * Math.E, 2) * (2.0 - 0.25)), mvn.Entropy, Tolerance.ClosedForm);
    }

    [Fact]
    public void Constructor_NotPositiveDefinite_ThrowsNamingCovariance()
    {
        var error = Assert.Throws<ArgumentException>(() => new MultivariateNormal([0.0, 0.0], new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }));
        Assert.Equal("covariance", error.ParamName);
        Assert.Contains("positive definite", error.Message);
    }

    [Fact]
    public void Constructor_NotSymmetric_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MultivariateNormal([0.0, 0.0], new[,] { { 1.0, 0.1 }, { 0.2, 1.0 } }));
    }

    [Fact]
    public void Constructor_ShapeMismatch_ThrowsNamingCovariance()
    {
        Assert.Equal("covariance", Assert.Throws<ArgumentException>(() => new MultivariateNormal([0.0], new[,] { { 1.0, 0 }, { 0, 1.0 } })).ParamName);
    }
}
