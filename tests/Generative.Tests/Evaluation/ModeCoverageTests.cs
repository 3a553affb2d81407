using Generative.Data;
using Generative.Distributions;
using Generative.Evaluation;

namespace Generative.Tests.Evaluation;

public class ModeCoverageTests
{
    private static Points2D Points(params (double X, double Y)[] points) =>
        new(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), new int[points.Length]);

    [Fact]
    public void Measure_OneSampleAtEveryCentre_CoversAllModesUniformly()
    {
        var ring = Toy2D.Ring8();

        var report = ModeCoverage.Measure(ring, Points(ring.Means));

        Assert.Equal(8, report.ModesCovered);
        Assert.Equal(8, report.ModeCount);
        Assert.Equal(1.0, report.HighQualityShare);
        Assert.Equal(0.0, report.KlToUniform, Tolerance.ClosedForm);
        Assert.All(report.HighQualityCounts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Measure_AllSamplesInOneMode_CoversOneWithKlLogOfModeCount()
    {
        var grid = Toy2D.Grid25();
        var centre = grid.Means[7];

        var report = ModeCoverage.Measure(grid, Points(Enumerable.Repeat(centre, 50).ToArray()));

        Assert.Equal(1, report.ModesCovered);
        Assert.Equal(Math.Log(25), report.KlToUniform, Tolerance.ClosedForm);
        Assert.Equal(50, report.HighQualityCounts[7]);
    }

    [Fact]
    public void Measure_PointsJustInsideAndOutsideThreeStds_OnlyInsideCountAsHighQuality()
    {
        var ring = Toy2D.Ring8(radius: 2, std: 0.02);
        var (x, y) = ring.Means[0];

        var outside = ModeCoverage.Measure(ring, Points((x + 0.061, y), (x, y - 0.08)));
        var inside = ModeCoverage.Measure(ring, Points((x + 0.059, y), (x, y - 0.08)));

        Assert.Equal((0, 0.0), (outside.ModesCovered, outside.HighQualityShare));
        Assert.True(double.IsNaN(outside.KlToUniform));
        Assert.Equal((1, 0.5), (inside.ModesCovered, inside.HighQualityShare));
    }

    [Fact]
    public void Measure_MixedSamples_MatchesCountsByHand()
    {
        var grid = Toy2D.Grid25();
        var (a, b) = (grid.Means[0], grid.Means[1]);
        var samples = Enumerable.Repeat(a, 6).Concat(Enumerable.Repeat(b, 2)).Concat([(1.0, 1.0), (-1.0, 3.0)]).ToArray();

        var report = ModeCoverage.Measure(grid, Points(samples));
        var strict = ModeCoverage.Measure(grid, Points(samples), minimumSamples: 3);

        Assert.Equal(2, report.ModesCovered);
        Assert.Equal(1, strict.ModesCovered);
        Assert.Equal(0.8, report.HighQualityShare, Tolerance.ClosedForm);
        Assert.Equal(0.75 * Math.Log(0.75 * 25) + 0.25 * Math.Log(0.25 * 25), report.KlToUniform, Tolerance.ClosedForm);
    }

    [Fact]
    public void Measure_DrawsOfTheMixtureItself_AllModesAndTheGaussianShareWithinThreeStds()
    {
        var grid = Toy2D.Grid25();

        var report = ModeCoverage.Measure(grid, grid.Sample(2500, new Generator(3)));

        Assert.Equal(25, report.ModesCovered);
        // P(‖ε‖ ≤ 3σ) for a 2-D standard normal is 1 − exp(−9/2); the modes are 40σ apart, so no other mode is nearer.
        var p = 1 - Math.Exp(-4.5);
        Assert.InRange(report.HighQualityShare, p - 4 * Math.Sqrt(p * (1 - p) / 2500), p + 4 * Math.Sqrt(p * (1 - p) / 2500));
    }

    [Fact]
    public void Measure_BadInput_ThrowsNamingIt()
    {
        var ring = Toy2D.Ring8();

        Assert.Contains("at least one sample", Assert.Throws<ArgumentException>(() => ModeCoverage.Measure(ring, Points())).Message);
        Assert.Contains("Sample 1 is (NaN, 0)", Assert.Throws<ArgumentException>(() => ModeCoverage.Measure(ring, Points((0, 0), (double.NaN, 0)))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModeCoverage.Measure(ring, Points((0, 0)), radiusInStds: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModeCoverage.Measure(ring, Points((0, 0)), minimumSamples: 0));
    }
}
