using System.Security.Cryptography;
using System.Text;
using Generative.Notebook;
using static Generative.Plotting.SvgFormat;

namespace Generative.Plotting;

/// <summary>
/// Draws a <see cref="Figure"/> as a standalone SVG in plotly.js's default look (white background, light grid,
/// category-10 colours), so the static picture and the interactive plot read the same.
/// </summary>
/// <remarks>
/// Output is deterministic: fixed decimals, invariant culture, and element ids derived from a hash of the
/// figure's JSON, so two different figures on one page never share a clip-path id, and re-running a notebook
/// reproduces its stored output byte for byte.
/// </remarks>
internal static class SvgRenderer
{
    private const string TextColor = "#444";
    private const string GridColor = "#eee";
    private const string ZeroLineColor = "#bbb";
    private const double FontSize = 12;
    private const double ColorbarWidth = 72;

    public static string Render(Figure figure)
    {
        var layout = figure.Layout;
        var width = layout.Width ?? Layout.DefaultWidth;
        var height = layout.Height ?? Layout.DefaultHeight;
        var ids = new IdSource(figure.ToJson());
        var categories = CategoryNames(figure);
        var legend = figure.ShowsLegend
            ? figure.Traces.Select((trace, index) => (trace, index)).Where(e => e.trace.Name is not null && e.trace is not GridTrace).ToList()
            : [];
        var colorbarTrace = figure.Traces.OfType<GridTrace>().FirstOrDefault(trace => trace.ShowScale);

        var legendWidth = legend.Count == 0 ? 0 : 46 + legend.Max(e => TextWidth(e.trace.Name!, FontSize));
        var right = 20 + legendWidth + (colorbarTrace is null ? 0 : ColorbarWidth);
        var top = layout.Title is null ? 20.0 : 50.0;
        var bottom = 36.0 + (layout.XAxis.Title is null ? 0 : 22);

        // Long category names would overlap: tilt them and make room underneath.
        var tiltCategories = false;
        if (categories is not null)
        {
            var longest = categories.Select(name => TextWidth(name, FontSize)).DefaultIfEmpty(0).Max();
            tiltCategories = longest > (width - 70 - right) / Math.Max(1, categories.Count) - 6;
            if (tiltCategories)
            {
                bottom += longest * 0.6;
            }
        }

        var (xMin, xMax) = XRange(figure, categories);
        var (yMin, yMax) = YRange(figure);
        var plotTop = top;
        var plotBottom = height - bottom;

        // The y tick labels decide the left margin, and they depend only on the height.
        var yProbe = new AxisScale(yMin, yMax, plotBottom, plotTop, layout.YAxis.Log);
        var yLabelWidth = yProbe.Ticks(50).Select(t => TextWidth(t.Label, FontSize)).DefaultIfEmpty(0).Max();
        var plotLeft = Math.Max(48, 14 + yLabelWidth + (layout.YAxis.Title is null ? 0 : 24));
        var plotRight = width - right;
        if (plotRight - plotLeft < 40 || plotBottom - plotTop < 40)
        {
            throw new InvalidOperationException($"Figure '{layout.Title}' at {width}x{height} pixels leaves no room to plot; make it larger.");
        }

        if (layout.YAxis.ScaleAnchor == "x" || layout.XAxis.ScaleAnchor == "y")
        {
            EqualizeScales(ref xMin, ref xMax, ref yMin, ref yMax, plotRight - plotLeft, plotBottom - plotTop, layout);
        }

        var xScale = layout.XAxis.Reversed
            ? new AxisScale(xMin, xMax, plotRight, plotLeft, layout.XAxis.Log && categories is null, categories)
            : new AxisScale(xMin, xMax, plotLeft, plotRight, layout.XAxis.Log && categories is null, categories);
        var yScale = layout.YAxis.Reversed
            ? new AxisScale(yMin, yMax, plotTop, plotBottom, layout.YAxis.Log)
            : new AxisScale(yMin, yMax, plotBottom, plotTop, layout.YAxis.Log);

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gen-svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"");
        svg.Append($" font-family=\"'Open Sans', verdana, arial, sans-serif\" font-size=\"{Num(FontSize)}\">");
        var plotClip = ids.Next("plot");
        svg.Append($"<defs><clipPath id=\"{plotClip}\"><rect x=\"{Num(plotLeft)}\" y=\"{Num(plotTop)}\" width=\"{Num(plotRight - plotLeft)}\" height=\"{Num(plotBottom - plotTop)}\"/></clipPath></defs>");
        svg.Append($"<rect class=\"background\" width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>");

        var xTicks = xScale.Ticks(80);
        var yTicks = yScale.Ticks(50);
        DrawGrid(svg, xTicks, yTicks, plotLeft, plotRight, plotTop, plotBottom, categories is null);
        DrawZeroLines(svg, xScale, yScale, plotLeft, plotRight, plotTop, plotBottom, categories is null);

        svg.Append($"<g class=\"traces\" clip-path=\"url(#{plotClip})\">");
        for (var i = 0; i < figure.Traces.Count; i++)
        {
            TraceDrawing.Draw(svg, figure, i, xScale, yScale, categories);
        }
        svg.Append("</g>");

        DrawTickLabels(svg, xTicks, yTicks, plotLeft, plotBottom, tiltCategories);
        DrawTitles(svg, layout, width, height, plotLeft, plotRight, plotTop, plotBottom);
        if (legend.Count > 0)
        {
            DrawLegend(svg, figure, legend, plotRight + 16, plotTop);
        }
        if (colorbarTrace is not null)
        {
            DrawColorbar(svg, colorbarTrace, ids, plotRight + 16 + legendWidth, plotTop, plotBottom);
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Category names of all bar traces in order of first appearance, or null without bar traces.</summary>
    private static List<string>? CategoryNames(Figure figure) =>
        figure.HasCategoryX ? figure.Traces.OfType<BarTrace>().SelectMany(bar => bar.Categories).Distinct().ToList() : null;

    private static (double, double) XRange(Figure figure, List<string>? categories)
    {
        var axis = figure.Layout.XAxis;
        if (categories is not null)
        {
            return (-0.5, categories.Count - 0.5);
        }
        var values = new List<double>();
        var pad = false;
        foreach (var trace in figure.Traces)
        {
            switch (trace)
            {
                case ScatterTrace scatter:
                    values.AddRange(scatter.X);
                    pad |= scatter.HasMarkers;
                    break;
                case HistogramTrace histogram:
                    var bins = histogram.ComputeBins();
                    values.Add(bins.Start);
                    values.Add(bins.End);
                    break;
                case GridTrace grid:
                    values.AddRange(GridExtent(grid.X, grid is HeatmapTrace));
                    break;
            }
        }
        return Fit(values, axis, pad ? 0.04 : 0, pad ? 0.04 : 0);
    }

    private static (double, double) YRange(Figure figure)
    {
        var axis = figure.Layout.YAxis;
        var values = new List<double>();
        var (padLow, padHigh) = (0.0, 0.0);
        foreach (var trace in figure.Traces)
        {
            switch (trace)
            {
                case ScatterTrace scatter:
                    values.AddRange(scatter.Y);
                    (padLow, padHigh) = (0.06, 0.06);
                    break;
                case BarTrace bar:
                    values.AddRange(bar.Values);
                    padHigh = Math.Max(padHigh, 0.05);
                    if (!axis.Log) values.Add(0);
                    break;
                case HistogramTrace histogram:
                    values.AddRange(histogram.ComputeBins().Heights(histogram.Normalization).Where(h => h > 0 || !axis.Log));
                    padHigh = Math.Max(padHigh, 0.05);
                    if (!axis.Log) values.Add(0);
                    break;
                case GridTrace grid:
                    values.AddRange(GridExtent(grid.Y, grid is HeatmapTrace));
                    break;
            }
        }
        // Bars stand on zero: never pad below a zero baseline.
        var range = Fit(values, axis, padLow, padHigh);
        if (!axis.Log && axis.Range is null && figure.Traces.Any(t => t is BarTrace or HistogramTrace) && values.Where(double.IsFinite).Min() == 0)
        {
            range = (0, range.Item2);
        }
        return range;
    }

    /// <summary>The first and last grid lines, or for a heatmap the outer edges of the first and last cells.</summary>
    internal static double[] GridExtent(IReadOnlyList<double> coordinates, bool cellEdges)
    {
        if (coordinates.Count == 1)
        {
            return [coordinates[0] - 0.5, coordinates[0] + 0.5];
        }
        var halfStep = cellEdges ? (coordinates[^1] - coordinates[0]) / (coordinates.Count - 1) / 2 : 0;
        return [coordinates[0] - halfStep, coordinates[^1] + halfStep];
    }

    /// <summary>The data range of <paramref name="values"/> with fractional padding, or the axis's fixed range.</summary>
    private static (double, double) Fit(List<double> values, Axis axis, double padLow, double padHigh)
    {
        if (axis.Range is { } fixedRange)
        {
            return fixedRange;
        }
        var usable = values.Where(v => double.IsFinite(v) && (!axis.Log || v > 0)).Select(v => axis.Log ? Math.Log10(v) : v).ToList();
        var (min, max) = usable.Count == 0 ? (0.0, 1.0) : (usable.Min(), usable.Max());
        if (max == min)
        {
            (min, max) = (min - 1, max + 1);
        }
        var span = max - min;
        (min, max) = (min - span * padLow, max + span * padHigh);
        return axis.Log ? (Math.Pow(10, min), Math.Pow(10, max)) : (min, max);
    }

    /// <summary>Widens one axis's range about its centre so a data unit spans as many pixels on x as on y.</summary>
    private static void EqualizeScales(ref double xMin, ref double xMax, ref double yMin, ref double yMax, double plotWidth, double plotHeight, Layout layout)
    {
        if (layout.XAxis.Log || layout.YAxis.Log)
        {
            return;
        }
        var pixelsPerUnit = Math.Min(plotWidth / (xMax - xMin), plotHeight / (yMax - yMin));
        var (xCentre, yCentre) = ((xMin + xMax) / 2, (yMin + yMax) / 2);
        (xMin, xMax) = (xCentre - plotWidth / pixelsPerUnit / 2, xCentre + plotWidth / pixelsPerUnit / 2);
        (yMin, yMax) = (yCentre - plotHeight / pixelsPerUnit / 2, yCentre + plotHeight / pixelsPerUnit / 2);
    }

    private static void DrawGrid(StringBuilder svg, IReadOnlyList<(double Pixel, string Label)> xTicks, IReadOnlyList<(double Pixel, string Label)> yTicks,
        double left, double right, double top, double bottom, bool verticalLines)
    {
        svg.Append($"<g class=\"grid\" stroke=\"{GridColor}\" stroke-width=\"1\">");
        if (verticalLines)
        {
            foreach (var (x, _) in xTicks)
            {
                svg.Append($"<line x1=\"{Num(x)}\" y1=\"{Num(top)}\" x2=\"{Num(x)}\" y2=\"{Num(bottom)}\"/>");
            }
        }
        foreach (var (y, _) in yTicks)
        {
            svg.Append($"<line x1=\"{Num(left)}\" y1=\"{Num(y)}\" x2=\"{Num(right)}\" y2=\"{Num(y)}\"/>");
        }
        svg.Append("</g>");
    }

    private static void DrawZeroLines(StringBuilder svg, AxisScale xScale, AxisScale yScale, double left, double right, double top, double bottom, bool numericX)
    {
        if (!yScale.Log && yScale.Range.Min < 0 && yScale.Range.Max > 0)
        {
            var y = yScale.ToPixel(0);
            svg.Append($"<line class=\"zeroline\" x1=\"{Num(left)}\" y1=\"{Num(y)}\" x2=\"{Num(right)}\" y2=\"{Num(y)}\" stroke=\"{ZeroLineColor}\"/>");
        }
        if (numericX && !xScale.Log && xScale.Range.Min < 0 && xScale.Range.Max > 0)
        {
            var x = xScale.ToPixel(0);
            svg.Append($"<line class=\"zeroline\" x1=\"{Num(x)}\" y1=\"{Num(top)}\" x2=\"{Num(x)}\" y2=\"{Num(bottom)}\" stroke=\"{ZeroLineColor}\"/>");
        }
    }

    private static void DrawTickLabels(StringBuilder svg, IReadOnlyList<(double Pixel, string Label)> xTicks, IReadOnlyList<(double Pixel, string Label)> yTicks,
        double left, double bottom, bool tilt)
    {
        svg.Append($"<g class=\"ticks\" fill=\"{TextColor}\">");
        foreach (var (x, label) in xTicks)
        {
            if (tilt)
            {
                svg.Append($"<text x=\"{Num(x)}\" y=\"{Num(bottom + 14)}\" text-anchor=\"end\" transform=\"rotate(-35 {Num(x)} {Num(bottom + 14)})\">{HtmlText.Escape(label)}</text>");
            }
            else
            {
                svg.Append($"<text x=\"{Num(x)}\" y=\"{Num(bottom + 18)}\" text-anchor=\"middle\">{HtmlText.Escape(label)}</text>");
            }
        }
        foreach (var (y, label) in yTicks)
        {
            svg.Append($"<text x=\"{Num(left - 6)}\" y=\"{Num(y + 4)}\" text-anchor=\"end\">{HtmlText.Escape(label)}</text>");
        }
        svg.Append("</g>");
    }

    private static void DrawTitles(StringBuilder svg, Layout layout, int width, int height, double left, double right, double top, double bottom)
    {
        if (layout.Title is not null)
        {
            svg.Append($"<text class=\"title\" x=\"{Num(width / 2.0)}\" y=\"30\" text-anchor=\"middle\" font-size=\"17\" fill=\"{TextColor}\">{HtmlText.Escape(layout.Title)}</text>");
        }
        if (layout.XAxis.Title is not null)
        {
            svg.Append($"<text class=\"xtitle\" x=\"{Num((left + right) / 2)}\" y=\"{Num(height - 10)}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{TextColor}\">{HtmlText.Escape(layout.XAxis.Title)}</text>");
        }
        if (layout.YAxis.Title is not null)
        {
            var (x, y) = (18.0, (top + bottom) / 2);
            svg.Append($"<text class=\"ytitle\" x=\"{Num(x)}\" y=\"{Num(y)}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{TextColor}\" transform=\"rotate(-90 {Num(x)} {Num(y)})\">{HtmlText.Escape(layout.YAxis.Title)}</text>");
        }
    }

    private static void DrawLegend(StringBuilder svg, Figure figure, List<(Trace Trace, int Index)> entries, double left, double top)
    {
        svg.Append($"<g class=\"legend\" fill=\"{TextColor}\">");
        for (var i = 0; i < entries.Count; i++)
        {
            var (trace, index) = entries[i];
            var y = top + 10 + i * 22;
            var color = TraceDrawing.ColorOf(trace, index);
            switch (trace)
            {
                case ScatterTrace scatter:
                    if (scatter.HasLines)
                    {
                        var dash = TraceDrawing.DashArray(scatter.Dash);
                        svg.Append($"<line x1=\"{Num(left)}\" y1=\"{Num(y)}\" x2=\"{Num(left + 28)}\" y2=\"{Num(y)}\" stroke=\"{color}\" stroke-width=\"{Num(scatter.LineWidth)}\"{dash}/>");
                    }
                    if (scatter.HasMarkers)
                    {
                        svg.Append($"<circle cx=\"{Num(left + 14)}\" cy=\"{Num(y)}\" r=\"{Num(Math.Clamp(scatter.MarkerSize / 2, 2.5, 6))}\" fill=\"{color}\"/>");
                    }
                    break;
                default:
                    svg.Append($"<rect x=\"{Num(left + 6)}\" y=\"{Num(y - 6)}\" width=\"16\" height=\"12\" fill=\"{color}\"/>");
                    break;
            }
            svg.Append($"<text x=\"{Num(left + 36)}\" y=\"{Num(y + 4)}\">{HtmlText.Escape(trace.Name)}</text>");
        }
        svg.Append("</g>");
    }

    private static void DrawColorbar(StringBuilder svg, GridTrace trace, IdSource ids, double left, double top, double bottom)
    {
        var (min, max) = TraceDrawing.ColorbarRange(trace);
        var gradient = ids.Next("scale");
        svg.Append($"<defs><linearGradient id=\"{gradient}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        foreach (var (position, color) in trace.Colorscale.Stops)
        {
            svg.Append($"<stop offset=\"{Num(position)}\" stop-color=\"{color.ToHex()}\"/>");
        }
        svg.Append("</linearGradient></defs>");
        svg.Append($"<g class=\"colorbar\" fill=\"{TextColor}\">");
        svg.Append($"<rect x=\"{Num(left)}\" y=\"{Num(top)}\" width=\"14\" height=\"{Num(bottom - top)}\" fill=\"url(#{gradient})\"/>");
        var scale = new AxisScale(min, max, bottom, top, log: false);
        foreach (var (y, label) in scale.Ticks(40))
        {
            svg.Append($"<line x1=\"{Num(left + 14)}\" y1=\"{Num(y)}\" x2=\"{Num(left + 18)}\" y2=\"{Num(y)}\" stroke=\"{TextColor}\"/>");
            svg.Append($"<text x=\"{Num(left + 21)}\" y=\"{Num(y + 4)}\">{HtmlText.Escape(label)}</text>");
        }
        svg.Append("</g>");
    }

    /// <summary>Element ids unique to one figure's content: a hash of its JSON plus a local counter.</summary>
    private sealed class IdSource(string json)
    {
        private readonly string _prefix = "gf" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..10];
        private int _count;

        public string Next(string purpose) => $"{_prefix}-{purpose}{_count++}";
    }
}
