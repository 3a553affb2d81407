using Generative.Plotting;

namespace Generative.Tests.Plotting;

public class MarchingSquaresTests
{
    private static (double[,] Z, double[] Xs, double[] Ys) Sample(Func<double, double, double> f, int n, double extent)
    {
        var xs = Plot.Linspace(-extent, extent, n);
        var z = new double[n, n];
        for (var row = 0; row < n; row++)
        for (var column = 0; column < n; column++)
            z[row, column] = f(xs[column], xs[row]);
        return (z, xs, xs);
    }

    [Fact]
    public void Trace_RadialFunction_GivesOneClosedCurveAroundTheCentre()
    {
        var (z, xs, ys) = Sample((x, y) => x * x + y * y, 31, 2);
        const double level = 1.0; // the unit circle

        var line = Assert.Single(MarchingSquares.Trace(z, xs, ys, level));

        Assert.Equal(line[0], line[^1]); // closed
        // Every vertex lies on a grid edge where linear interpolation of r^2 is exact to within the cell's curvature.
        Assert.All(line, p => Assert.Equal(1.0, Math.Sqrt(p.X * p.X + p.Y * p.Y), 0.01));
        // The curve winds once around the origin.
        var turning = 0.0;
        for (var i = 1; i < line.Count; i++)
        {
            var delta = Math.Atan2(line[i].Y, line[i].X) - Math.Atan2(line[i - 1].Y, line[i - 1].X);
            turning += Math.IEEERemainder(delta, 2 * Math.PI);
        }
        Assert.Equal(2 * Math.PI, Math.Abs(turning), 1e-9);
    }

    [Fact]
    public void Trace_LevelCuttingTheGrid_GivesOpenLineFromBoundaryToBoundary()
    {
        var (z, xs, ys) = Sample((x, _) => x, 5, 1);
        var line = Assert.Single(MarchingSquares.Trace(z, xs, ys, 0.3));
        Assert.All(line, p => Assert.Equal(0.3, p.X, 1e-12));
        Assert.Equal(2.0, Math.Abs(line[^1].Y - line[0].Y), 1e-12);
    }

    [Fact]
    public void Trace_TwoSeparatePeaks_GivesTwoClosedCurves()
    {
        var (z, xs, ys) = Sample((x, y) => Math.Exp(-((x - 1.5) * (x - 1.5) + y * y) * 4) + Math.Exp(-((x + 1.5) * (x + 1.5) + y * y) * 4), 61, 3);
        var lines = MarchingSquares.Trace(z, xs, ys, 0.5);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(line[0], line[^1]));
    }

    [Fact]
    public void Trace_LevelOutsideRange_GivesNothing()
    {
        var (z, xs, ys) = Sample((x, y) => x + y, 4, 1);
        Assert.Empty(MarchingSquares.Trace(z, xs, ys, 5));
    }
}
