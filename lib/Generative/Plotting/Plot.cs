using Generative.Distributions;

namespace Generative.Plotting;

/// <summary>
/// One-line builders for the figures the lessons need. Each returns a <see cref="Figure"/>; combine them with
/// <see cref="Figure.Add(Figure)"/> and finish with <c>WithTitle</c>, <c>WithAxisTitles</c> and friends.
/// </summary>
/// <example><code>
/// Plot.Histogram(samples, bins: 40, normalization: HistogramNormalization.ProbabilityDensity)
///     .Add(Plot.Line(xs, density, name: "p(x)"))
///     .WithTitle("Samples against the true density");
/// </code></example>
public static class Plot
{
    /// <summary>A line through <paramref name="ys"/> at x = 0, 1, 2, ... (e.g. a loss per step).</summary>
    public static Figure Line(IEnumerable<double> ys, string? name = null)
    {
        var values = ys?.ToArray() ?? throw new ArgumentNullException(nameof(ys));
        return Line(Enumerable.Range(0, values.Length).Select(i => (double)i), values, name);
    }

    /// <summary>A line through the points (xs[i], ys[i]).</summary>
    public static Figure Line(IEnumerable<double> xs, IEnumerable<double> ys, string? name = null) =>
        new(new ScatterTrace(xs, ys, ScatterMode.Lines) { Name = name });

    /// <summary>A marker at each point (xs[i], ys[i]).</summary>
    public static Figure Scatter(IEnumerable<double> xs, IEnumerable<double> ys, string? name = null) =>
        new(new ScatterTrace(xs, ys, ScatterMode.Markers) { Name = name });

    /// <summary>
    /// Points coloured by class: one trace per distinct label, named <c>classNames[label]</c> (or the label),
    /// coloured <c>Palette.ColorOf(label)</c> so a class keeps its colour across figures.
    /// </summary>
    public static Figure ScatterByClass(IEnumerable<double> xs, IEnumerable<double> ys, IEnumerable<int> labels, IReadOnlyList<string>? classNames = null)
    {
        var (x, y, label) = (xs.ToArray(), ys.ToArray(), labels.ToArray());
        if (x.Length != y.Length || x.Length != label.Length)
        {
            throw new ArgumentException($"xs, ys and labels must have the same length, got {x.Length}, {y.Length} and {label.Length}.", nameof(labels));
        }
        var figure = new Figure();
        foreach (var cls in label.Distinct().Order())
        {
            if (classNames is not null && (cls < 0 || cls >= classNames.Count))
            {
                throw new ArgumentException($"Label {cls} has no entry in classNames (which has {classNames.Count}).", nameof(classNames));
            }
            var members = Enumerable.Range(0, x.Length).Where(i => label[i] == cls).ToArray();
            figure.Add(new ScatterTrace(members.Select(i => x[i]), members.Select(i => y[i]), ScatterMode.Markers)
            {
                Name = classNames?[cls] ?? cls.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Color = Palette.ColorOf(cls),
            });
        }
        return figure;
    }

    /// <summary>The labelled points of <paramref name="points"/>, coloured by label.</summary>
    public static Figure ScatterByClass(Points2D points, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        return ScatterByClass(points.Xs, points.Ys, points.Labels, classNames);
    }

    /// <summary>A histogram of <paramref name="values"/> with <paramref name="bins"/> equal bins over their range.</summary>
    public static Figure Histogram(IEnumerable<double> values, int bins = 30, string? name = null,
        HistogramNormalization normalization = HistogramNormalization.Count) =>
        new(new HistogramTrace(values, bins) { Name = name, Normalization = normalization });

    /// <summary>One bar per category.</summary>
    public static Figure Bar(IEnumerable<string> categories, IEnumerable<double> values, string? name = null) =>
        new(new BarTrace(categories, values) { Name = name });

    /// <summary>
    /// <paramref name="z"/>[row, column] as coloured cells at (xs[column], ys[row]); row 0 at the bottom.
    /// For an image (row 0 at the top) call <c>.Layout.YAxis.Reversed = true</c> or use <see cref="ImageGrid"/>.
    /// </summary>
    public static Figure Heatmap(double[,] z, IEnumerable<double>? xs = null, IEnumerable<double>? ys = null, Colorscale? colorscale = null) =>
        new(new HeatmapTrace(z, xs, ys) { Colorscale = colorscale ?? Colorscale.Viridis });

    /// <summary>Filled contours of <paramref name="z"/>[row, column] at (xs[column], ys[row]), about <paramref name="levels"/> levels.</summary>
    public static Figure Contour(double[,] z, IEnumerable<double>? xs = null, IEnumerable<double>? ys = null, int levels = 10) =>
        new(new ContourTrace(z, xs, ys, levels));

    /// <summary>
    /// Filled contours of <paramref name="f"/>(x, y) sampled on a <paramref name="resolution"/>² grid over the
    /// given ranges, e.g. a 2-D density.
    /// </summary>
    public static Figure Contour(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange,
        int resolution = 80, int levels = 10)
    {
        ArgumentNullException.ThrowIfNull(f);
        var xs = Linspace(xRange.Min, xRange.Max, resolution);
        var ys = Linspace(yRange.Min, yRange.Max, resolution);
        var z = new double[resolution, resolution];
        for (var row = 0; row < resolution; row++)
        {
            for (var column = 0; column < resolution; column++)
            {
                z[row, column] = f(xs[column], ys[row]);
            }
        }
        return Contour(z, xs, ys, levels);
    }

    /// <summary><paramref name="count"/> evenly spaced values from <paramref name="start"/> to <paramref name="stop"/>, both included.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Linspace needs at least two points.");
        }
        return Enumerable.Range(0, count).Select(i => start + (stop - start) * i / (count - 1)).ToArray();
    }
}
