using System.Text;
using Generative.Notebook;
using static Generative.Plotting.SvgFormat;

namespace Generative.Plotting;

/// <summary>Draws each kind of trace into the plot area of an SVG.</summary>
internal static class TraceDrawing
{
    /// <summary>Bars of several traces share 80% of a category slot, leaving plotly.js's default 20% gap.</summary>
    private const double BarGroupWidth = 0.8;

    public static void Draw(StringBuilder svg, Figure figure, int index, AxisScale x, AxisScale y, List<string>? categories)
    {
        var trace = figure.Traces[index];
        switch (trace)
        {
            case ScatterTrace scatter:
                DrawScatter(svg, scatter, ColorOf(scatter, index), x, y);
                break;
            case BarTrace bar:
                var (barSlot, barCount) = SlotOf(figure, trace);
                DrawBars(svg, bar, ColorOf(bar, index), x, y, categories!, barSlot, barCount);
                break;
            case HistogramTrace histogram:
                var (histogramSlot, histogramCount) = SlotOf(figure, trace);
                DrawHistogram(svg, histogram, ColorOf(histogram, index), x, y, histogramSlot, histogramCount);
                break;
            case HeatmapTrace heatmap:
                DrawHeatmap(svg, heatmap, x, y);
                break;
            case ContourTrace contour:
                DrawContour(svg, contour, x, y);
                break;
        }
    }

    /// <summary>The trace's own colour, or plotly.js's default colour for its position in the figure.</summary>
    public static string ColorOf(Trace trace, int index) => trace switch
    {
        ScatterTrace { Color: { } color } => color,
        BarTrace { Color: { } color } => color,
        HistogramTrace { Color: { } color } => color,
        _ => Palette.ColorOf(index),
    };

    /// <summary>An SVG stroke-dasharray attribute for plotly.js's dash names.</summary>
    public static string DashArray(string? dash) => dash switch
    {
        null or "solid" => "",
        "dot" => " stroke-dasharray=\"2 3\"",
        "dash" => " stroke-dasharray=\"8 5\"",
        _ => throw new ArgumentException($"Line dash '{dash}' is not one of solid, dot, dash."),
    };

    /// <summary>The values at the two ends of the colour bar.</summary>
    public static (double Min, double Max) ColorbarRange(GridTrace trace)
    {
        if (trace is ContourTrace contour && contour.ComputeLevels() is { Length: > 0 } levels)
        {
            var half = (levels.Length > 1 ? levels[1] - levels[0] : 1) / 2;
            return (levels[0] - half, levels[^1] + half);
        }
        return trace.ColorRange();
    }

    /// <summary>Which side-by-side slot a bar or histogram trace takes, among how many.</summary>
    private static (int Slot, int Count) SlotOf(Figure figure, Trace trace)
    {
        if (figure.Layout.BarMode == BarMode.Overlay)
        {
            return (0, 1);
        }
        var siblings = figure.Traces.Where(t => t.GetType() == trace.GetType()).ToList();
        return (siblings.IndexOf(trace), siblings.Count);
    }

    private static void DrawScatter(StringBuilder svg, ScatterTrace scatter, string color, AxisScale x, AxisScale y)
    {
        scatter.CheckPointLists();
        svg.Append("<g class=\"trace scatter\">");
        var pixels = scatter.X.Zip(scatter.Y, (px, py) => (X: x.ToPixel(px), Y: y.ToPixel(py))).ToArray();
        if (scatter.HasLines)
        {
            // A non-finite point ends the current run: a gap, as in plotly.js.
            var path = new StringBuilder();
            var drawing = false;
            foreach (var (px, py) in pixels)
            {
                if (!double.IsFinite(px) || !double.IsFinite(py))
                {
                    drawing = false;
                    continue;
                }
                path.Append(drawing ? " L" : (path.Length > 0 ? " M" : "M")).Append(Num(px)).Append(' ').Append(Num(py));
                drawing = true;
            }
            if (path.Length > 0)
            {
                svg.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{Num(scatter.LineWidth)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{DashArray(scatter.Dash)}/>");
            }
        }
        if (scatter.HasMarkers)
        {
            var opacity = scatter.MarkerOpacity < 1 ? $" fill-opacity=\"{Num(scatter.MarkerOpacity)}\"" : "";
            svg.Append($"<g class=\"markers\" fill=\"{color}\"{opacity}>");
            var radius = Num(scatter.MarkerSize / 2);
            for (var i = 0; i < pixels.Length; i++)
            {
                var (px, py) = pixels[i];
                if (!double.IsFinite(px) || !double.IsFinite(py))
                {
                    continue;
                }
                var fill = scatter.PointColors is { } colors ? $" fill=\"{HtmlText.Escape(colors[i])}\"" : "";
                // A hover text becomes the circle's <title>: browsers show it as a tooltip, even without plotly.js.
                svg.Append(scatter.HoverTexts is { } texts
                    ? $"<circle cx=\"{Num(px)}\" cy=\"{Num(py)}\" r=\"{radius}\"{fill}><title>{HtmlText.Escape(texts[i])}</title></circle>"
                    : $"<circle cx=\"{Num(px)}\" cy=\"{Num(py)}\" r=\"{radius}\"{fill}/>");
            }
            svg.Append("</g>");
        }
        svg.Append("</g>");
    }

    private static void DrawBars(StringBuilder svg, BarTrace bar, string color, AxisScale x, AxisScale y, List<string> categories, int slot, int slotCount)
    {
        svg.Append($"<g class=\"trace bar\" fill=\"{color}\">");
        var barWidth = BarGroupWidth / slotCount;
        var baseline = Baseline(y);
        for (var i = 0; i < bar.Categories.Count; i++)
        {
            var left = categories.IndexOf(bar.Categories[i]) - BarGroupWidth / 2 + slot * barWidth;
            AppendBar(svg, x.ToPixel(left), x.ToPixel(left + barWidth), baseline, y.ToPixel(bar.Values[i]));
        }
        svg.Append("</g>");
    }

    private static void DrawHistogram(StringBuilder svg, HistogramTrace histogram, string color, AxisScale x, AxisScale y, int slot, int slotCount)
    {
        var opacity = histogram.Opacity < 1 ? $" fill-opacity=\"{Num(histogram.Opacity)}\"" : "";
        svg.Append($"<g class=\"trace histogram\" fill=\"{color}\"{opacity} stroke=\"#fff\" stroke-width=\"0.5\">");
        var bins = histogram.ComputeBins();
        var heights = bins.Heights(histogram.Normalization);
        var baseline = Baseline(y);
        var subWidth = bins.Size / slotCount;
        for (var i = 0; i < heights.Length; i++)
        {
            if (heights[i] <= 0)
            {
                continue; // an empty bin draws nothing, as in plotly.js
            }
            var left = bins.Start + i * bins.Size + slot * subWidth;
            AppendBar(svg, x.ToPixel(left), x.ToPixel(left + subWidth), baseline, y.ToPixel(heights[i]));
        }
        svg.Append("</g>");
    }

    /// <summary>Bars grow from zero, or from the bottom of a log axis, which has no zero.</summary>
    private static double Baseline(AxisScale y) => y.Log ? y.PixelAtMin : y.ToPixel(0);

    private static void AppendBar(StringBuilder svg, double x0, double x1, double y0, double y1)
    {
        if (!double.IsFinite(y1))
        {
            return;
        }
        svg.Append($"<rect x=\"{Num(Math.Min(x0, x1))}\" y=\"{Num(Math.Min(y0, y1))}\" width=\"{Num(Math.Abs(x1 - x0))}\" height=\"{Num(Math.Abs(y1 - y0))}\"/>");
    }

    private static void DrawHeatmap(StringBuilder svg, HeatmapTrace heatmap, AxisScale x, AxisScale y)
    {
        var (min, max) = heatmap.ColorRange();
        var (rows, columns) = (heatmap.Z.GetLength(0), heatmap.Z.GetLength(1));
        var placement = Place(heatmap, x, y, cellEdges: true);
        var pixels = new byte[rows * columns * 4];
        for (var imageRow = 0; imageRow < rows; imageRow++)
        {
            for (var imageColumn = 0; imageColumn < columns; imageColumn++)
            {
                var row = placement.FlipRows ? rows - 1 - imageRow : imageRow;
                var column = placement.FlipColumns ? columns - 1 - imageColumn : imageColumn;
                var value = heatmap.Z[row, column];
                var offset = (imageRow * columns + imageColumn) * 4;
                if (!double.IsFinite(value))
                {
                    continue; // transparent: missing values show the background
                }
                var color = heatmap.Colorscale.At((value - min) / (max - min));
                (pixels[offset], pixels[offset + 1], pixels[offset + 2], pixels[offset + 3]) = (color.R, color.G, color.B, 255);
            }
        }
        AppendImage(svg, "heatmap", placement, PngEncoder.Encode(columns, rows, PngColor.Rgba, pixels));
    }

    private static void DrawContour(StringBuilder svg, ContourTrace contour, AxisScale x, AxisScale y)
    {
        var levels = contour.ComputeLevels();
        var (min, max) = ColorbarRange(contour);
        var placement = Place(contour, x, y, cellEdges: false);
        svg.Append("<g class=\"trace contour\">");
        if (contour.Coloring == ContourColoring.Fill)
        {
            AppendImage(svg, "contour-fill", placement, FillImage(contour, levels, min, max, placement));
        }
        foreach (var level in levels)
        {
            var stroke = contour.Coloring == ContourColoring.Fill
                ? "stroke=\"#000\" stroke-opacity=\"0.3\" stroke-width=\"1\""
                : $"stroke=\"{contour.Colorscale.At((level - min) / (max - min)).ToHex()}\" stroke-width=\"{ContourTrace.LineWidth.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
            foreach (var line in MarchingSquares.Trace(contour.Z, contour.X, contour.Y, level))
            {
                var d = string.Join(" L", line.Select(p => $"{Num(x.ToPixel(p.X))} {Num(y.ToPixel(p.Y))}"));
                svg.Append($"<path class=\"level\" d=\"M{d}\" fill=\"none\" {stroke}/>");
            }
        }
        svg.Append("</g>");
    }

    /// <summary>
    /// Colours the bands between levels at about half the screen resolution, interpolating z bilinearly,
    /// which is simpler than building band polygons and looks the same.
    /// </summary>
    private static byte[] FillImage(ContourTrace contour, double[] levels, double min, double max, Placement placement)
    {
        var (rows, columns) = (contour.Z.GetLength(0), contour.Z.GetLength(1));
        var width = Math.Clamp((int)Math.Ceiling(placement.Width / 2), 2, 400);
        var height = Math.Clamp((int)Math.Ceiling(placement.Height / 2), 2, 400);
        var step = levels.Length > 1 ? levels[1] - levels[0] : 1;
        var pixels = new byte[width * height * 4];
        for (var imageRow = 0; imageRow < height; imageRow++)
        {
            for (var imageColumn = 0; imageColumn < width; imageColumn++)
            {
                var u = (imageColumn + 0.5) / width;
                var v = (imageRow + 0.5) / height;
                var column = (placement.FlipColumns ? 1 - u : u) * (columns - 1);
                var row = (placement.FlipRows ? 1 - v : v) * (rows - 1);
                var value = Bilinear(contour.Z, row, column);
                if (!double.IsFinite(value))
                {
                    continue;
                }
                var band = levels.Count(level => value >= level);
                var bandMiddle = levels.Length == 0 ? (min + max) / 2 : band == 0 ? levels[0] - step / 2 : levels[band - 1] + step / 2;
                var color = contour.Colorscale.At((bandMiddle - min) / (max - min));
                var offset = (imageRow * width + imageColumn) * 4;
                (pixels[offset], pixels[offset + 1], pixels[offset + 2], pixels[offset + 3]) = (color.R, color.G, color.B, 255);
            }
        }
        return PngEncoder.Encode(width, height, PngColor.Rgba, pixels);
    }

    private static double Bilinear(double[,] z, double row, double column)
    {
        var (rows, columns) = (z.GetLength(0), z.GetLength(1));
        var r0 = Math.Clamp((int)Math.Floor(row), 0, Math.Max(0, rows - 2));
        var c0 = Math.Clamp((int)Math.Floor(column), 0, Math.Max(0, columns - 2));
        var r1 = Math.Min(r0 + 1, rows - 1);
        var c1 = Math.Min(c0 + 1, columns - 1);
        var (fr, fc) = (row - r0, column - c0);
        var bottom = z[r0, c0] + (z[r0, c1] - z[r0, c0]) * fc;
        var top = z[r1, c0] + (z[r1, c1] - z[r1, c0]) * fc;
        return bottom + (top - bottom) * fr;
    }

    /// <summary>Where a grid's image goes in pixels, and whether its rows and columns run against the image's.</summary>
    private sealed record Placement(double Left, double Top, double Width, double Height, bool FlipRows, bool FlipColumns);

    private static Placement Place(GridTrace grid, AxisScale x, AxisScale y, bool cellEdges)
    {
        var xs = SvgRenderer.GridExtent(grid.X, cellEdges);
        var ys = SvgRenderer.GridExtent(grid.Y, cellEdges);
        var (x0, x1) = (x.ToPixel(xs[0]), x.ToPixel(xs[1]));
        var (y0, y1) = (y.ToPixel(ys[0]), y.ToPixel(ys[1]));
        // Image rows run top to bottom; grid row 0 sits at the first y, which is at the bottom on a normal axis.
        return new Placement(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0), FlipRows: y0 > y1, FlipColumns: x0 > x1);
    }

    private static void AppendImage(StringBuilder svg, string kind, Placement placement, byte[] png)
    {
        svg.Append($"<image class=\"{kind}\" x=\"{Num(placement.Left)}\" y=\"{Num(placement.Top)}\" width=\"{Num(placement.Width)}\" height=\"{Num(placement.Height)}\"");
        svg.Append(kind == "heatmap" ? " style=\"image-rendering:pixelated\"" : "");
        svg.Append($" preserveAspectRatio=\"none\" href=\"{PngEncoder.ToDataUri(png)}\"/>");
    }
}
