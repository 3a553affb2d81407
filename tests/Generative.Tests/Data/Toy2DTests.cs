using Generative.Data;
using Generative.Distributions;

namespace Generative.Tests.Data;

public class Toy2DTests
{
    [Fact]
    public void Ring8_Default_EightCentresAtRadiusTwo()
    {
        var ring = Toy2D.Ring8();

        Assert.Equal(8, ring.ComponentCount);
        Assert.All(ring.Means, m => Assert.Equal(2.0, Math.Sqrt(m.X * m.X + m.Y * m.Y), Tolerance.ClosedForm));
        // Centres are 45 degrees apart: neighbouring centres are 2 r sin(pi / 8) apart.
        var means = ring.Means;
        for (var c = 0; c < 8; c++)
        {
            var next = means[(c + 1) % 8];
            var distance = Math.Sqrt(Math.Pow(means[c].X - next.X, 2) + Math.Pow(means[c].Y - next.Y, 2));
            Assert.Equal(2 * 2.0 * Math.Sin(Math.PI / 8), distance, Tolerance.ClosedForm);
        }
    }

    [Fact]
    public void Ring10_Default_TenCentresAtRadiusFourAtMultiplesOf36Degrees()
    {
        var ring = Toy2D.Ring10();

        Assert.Equal(10, ring.ComponentCount);
        Assert.Equal(0.5, ring.Std);
        var means = ring.Means;
        for (var c = 0; c < 10; c++)
        {
            // The closed forms against the platform's cosine and sine of 2 pi c / 10.
            Assert.Equal(4 * Math.Cos(2 * Math.PI * c / 10), means[c].X, Tolerance.ClosedForm);
            Assert.Equal(4 * Math.Sin(2 * Math.PI * c / 10), means[c].Y, Tolerance.ClosedForm);
        }
    }

    [Fact]
    public void SampleComponents_GivenComponents_DrawsFromEachOwnCentre()
    {
        var mixture = new GaussianMixture2D([(0, 0), (3, 1)], std: 0.5);
        var components = Enumerable.Range(0, 8000).Select(n => n % 4 == 0 ? 0 : 1).ToArray();

        var points = mixture.SampleComponents(components, new Generator(4));

        Assert.Equal(components, points.Labels);
        Statistics.AssertMeanWithinStandardErrors(0, 0.25, points.Where(0).Xs);
        Statistics.AssertMeanWithinStandardErrors(3, 0.25, points.Where(1).Xs);
        Statistics.AssertMeanWithinStandardErrors(1, 0.25, points.Where(1).Ys);
        Statistics.AssertVarianceWithinStandardErrors(0.25, 3 * 0.25 * 0.25, points.Where(1).Xs);
    }

    [Fact]
    public void SampleComponents_ComponentOutOfRange_ThrowsNamingIt()
    {
        var mixture = new GaussianMixture2D([(0, 0), (3, 1)], std: 0.5);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mixture.SampleComponents([0, 2], new Generator(1)));

        Assert.Contains("Component 1 is 2", error.Message);
    }

    [Fact]
    public void Grid25_Default_CentresOnFiveByFiveGrid()
    {
        var grid = Toy2D.Grid25();

        Assert.Equal(25, grid.ComponentCount);
        Assert.Equal(
            [-4.0, -2.0, 0.0, 2.0, 4.0],
            grid.Means.Select(m => m.X).Distinct().Order());
        Assert.Equal((-4.0, -4.0), grid.Means[0]);
        Assert.Equal((2.0, -4.0), grid.Means[3]);
    }

    [Fact]
    public void GaussianMixtureSample_ManyPoints_ComponentFrequenciesAndMeansWithinStandardErrors()
    {
        var mixture = new GaussianMixture2D([(0, 0), (3, 1)], std: 0.5, weights: [1, 3]);
        const int count = 20_000;
        var points = mixture.Sample(count, new Generator(3));

        Assert.Equal(count, points.Count);
        var ones = points.Labels.Select(l => (double)l).ToArray();
        Statistics.AssertMeanWithinStandardErrors(0.75, 0.75 * 0.25, ones);
        var second = points.Where(1);
        Statistics.AssertMeanWithinStandardErrors(3, 0.25, second.Xs);
        Statistics.AssertMeanWithinStandardErrors(1, 0.25, second.Ys);
        Statistics.AssertVarianceWithinStandardErrors(0.25, 3 * 0.25 * 0.25, second.Ys);
    }

    [Fact]
    public void GaussianMixtureLogProb_SingleComponent_EqualsIsotropicGaussian()
    {
        var mixture = new GaussianMixture2D([(1, 2)], std: 0.3);
        var gaussian = new MultivariateNormal([1.0, 2.0], new[,] { { 0.09, 0 }, { 0, 0.09 } });

        Assert.Equal(gaussian.LogProb(0.5, 2.5), mixture.LogProb(0.5, 2.5), Tolerance.ClosedForm);
    }

    [Fact]
    public void GaussianMixtureLogProb_Density_IntegratesToOne()
    {
        var mixture = new GaussianMixture2D([(0, 0), (1, 0)], std: 0.4, weights: [0.3, 0.7]);
        // Midpoint rule on [-4, 5] x [-4, 4]; the density is negligible outside.
        const double h = 0.02;
        var integral = 0.0;
        for (var x = -4 + h / 2; x < 5; x += h)
        {
            for (var y = -4 + h / 2; y < 4; y += h)
            {
                integral += Math.Exp(mixture.LogProb(x, y)) * h * h;
            }
        }

        Assert.Equal(1.0, integral, 1e-4); // midpoint rule with h = 0.02 on a smooth density
    }

    [Fact]
    public void TwoMoons_Points_BalancedAndNearTheirArcs()
    {
        var moons = Toy2D.TwoMoons(2001, new Generator(5), noise: 0.05);

        Assert.Equal(1001, moons.Where(0).Count);
        Assert.Equal(1000, moons.Where(1).Count);
        // Without noise, label 0 lies on the unit circle around (0, 0), label 1 on the one around (1, 0.5).
        var zero = moons.Where(0);
        var radii = zero.Xs.Select((x, i) => Math.Sqrt(x * x + zero.Ys[i] * zero.Ys[i])).ToArray();
        Assert.InRange(radii.Average(), 0.98, 1.02);
        var one = moons.Where(1);
        Assert.All(one.Ys, y => Assert.InRange(y, -0.5 - 0.3, 0.5 + 0.3));
    }

    [Fact]
    public void TwoGaussianClasses_ManyPoints_FittedClassGaussiansMatchTruth()
    {
        var data = Toy2D.TwoGaussianClasses(20_000, new Generator(6), class1Prior: 0.3);
        var (class0, class1) = Toy2D.TwoGaussianClassDensities();

        Statistics.AssertMeanWithinStandardErrors(0.3, 0.3 * 0.7, data.Labels.Select(l => (double)l).ToArray());
        var fitted0 = MultivariateNormal.Fit(data.Where(0).ToRows());
        var fitted1 = MultivariateNormal.Fit(data.Where(1).Xs, data.Where(1).Ys);
        // Coarse: each mean within 0.05 (SE about sqrt(2 / 6000) = 0.018); covariances within 0.1.
        Assert.Equal(class0.Mean[0], fitted0.Mean[0], 0.05);
        Assert.Equal(class1.Mean[1], fitted1.Mean[1], 0.05);
        Assert.Equal(class0.Covariance[0, 1], fitted0.Covariance[0, 1], 0.1);
        Assert.Equal(class1.Covariance[1, 1], fitted1.Covariance[1, 1], 0.1);
    }

    [Fact]
    public void TwoGaussianClassDensities_Always_HaveDifferentCovariancesSoBoundaryIsQuadratic()
    {
        var (class0, class1) = Toy2D.TwoGaussianClassDensities();

        // With equal covariances the log-density ratio would be linear; differing ones add a quadratic term.
        Assert.NotEqual(class0.Covariance[0, 0], class1.Covariance[0, 0]);
        // The log ratio's second difference along x is non-zero exactly when the boundary is curved.
        double Ratio(double x) => class1.LogProb(x, 0) - class0.LogProb(x, 0);
        Assert.True(Math.Abs(Ratio(1) - 2 * Ratio(0) + Ratio(-1)) > 0.1);
    }

    [Fact]
    public void Points2D_MismatchedArrays_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Points2D([1.0], [1.0, 2.0], [0]));
    }
}
