using System.Globalization;
using System.Xml.Linq;
using Generative.Plotting;

namespace Generative.Tests.Plotting;

public class FigureSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Render(Figure figure) => XDocument.Parse(figure.ToSvg()).Root!;

    private static IEnumerable<XElement> InGroup(XElement svg, string groupClass, string element) =>
        svg.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.Split(' ').Contains(groupClass) == true)
           .SelectMany(g => g.Descendants(Svg + element));

    private static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void ToSvg_ScatterOfNPoints_IsWellFormedWithNMarkers()
    {
        var xs = Enumerable.Range(0, 37).Select(i => i * 0.5).ToArray();
        var svg = Render(Plot.Scatter(xs, xs.Select(x => x * x)).WithTitle("squares"));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal(37, InGroup(svg, "scatter", "circle").Count());
    }

    [Fact]
    public void ToSvg_MarkersOfScatter_IncreaseUpwardsWithY()
    {
        var svg = Render(Plot.Scatter([0, 1, 2], [0, 1, 4]));
        var cy = InGroup(svg, "scatter", "circle").Select(c => Number(c, "cy")).ToArray();
        Assert.True(cy[0] > cy[1] && cy[1] > cy[2], "SVG y grows downwards, so larger data y must have smaller cy");
    }

    [Fact]
    public void ToSvg_Histogram_BarHeightsAreProportionalToIndependentCounts()
    {
        var values = Enumerable.Range(0, 500).Select(i => Math.Sin(i * 12.9898) * 3 + Math.Cos(i * 0.37)).ToArray();
        const int binCount = 12;
        var svg = Render(Plot.Histogram(values, bins: binCount));

        // Counts by brute force: equal-width bins over [min, max], the last closed.
        var (min, max) = (values.Min(), values.Max());
        var width = (max - min) / binCount;
        var counts = Enumerable.Range(0, binCount)
            .Select(k => values.Count(v => v >= min + k * width && (v < min + (k + 1) * width || (k == binCount - 1 && v <= max))))
            .ToArray();
        Assert.Equal(values.Length, counts.Sum());

        var heights = InGroup(svg, "histogram", "rect").Select(r => Number(r, "height")).ToArray();
        var nonEmpty = counts.Where(c => c > 0).ToArray();
        Assert.Equal(nonEmpty.Length, heights.Length);
        var pixelsPerCount = heights.Max() / nonEmpty.Max();
        for (var i = 0; i < heights.Length; i++)
        {
            Assert.Equal(nonEmpty[i] * pixelsPerCount, heights[i], 0.05); // two-decimal rounding of coordinates
        }
    }

    [Fact]
    public void ToSvg_Bars_OneRectPerCategoryWithCategoryLabels()
    {
        var svg = Render(Plot.Bar(["Bag", "Coat", "Shirt"], [1, 3, 2]));
        var rects = InGroup(svg, "bar", "rect").ToArray();
        Assert.Equal(3, rects.Length);
        Assert.Equal(3 * Number(rects[0], "height"), Number(rects[1], "height"), 0.05);
        var labels = InGroup(svg, "ticks", "text").Select(t => t.Value).ToArray();
        Assert.Contains("Coat", labels);
    }

    [Fact]
    public void ToSvg_Heatmap_EmbedsAPngImage()
    {
        var svg = Render(Plot.Heatmap(new double[,] { { 0, 1 }, { 2, 3 } }));
        var image = Assert.Single(svg.Descendants(Svg + "image"));
        Assert.StartsWith("data:image/png;base64,", (string)image.Attribute("href")!);
        Assert.Single(InGroup(svg, "colorbar", "rect"));
    }

    [Fact]
    public void ToSvg_Contour_DrawsOneClosedLevelLinePerLevelAroundAPeak()
    {
        var figure = Plot.Contour((x, y) => Math.Exp(-(x * x + y * y)), (-3, 3), (-3, 3), resolution: 41, levels: 4);
        var levels = ((ContourTrace)figure.Traces[0]).ComputeLevels();
        var svg = Render(figure);
        var paths = svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "level").ToArray();
        Assert.Equal(levels.Length, paths.Length);
    }

    [Fact]
    public void ToSvg_Legend_ListsEachNamedTrace()
    {
        var svg = Render(Plot.Line([1, 2], "train").Add(Plot.Line([2, 1], "valid")));
        Assert.Equal(["train", "valid"], InGroup(svg, "legend", "text").Select(t => t.Value));
    }

    [Fact]
    public void ToSvg_SameFigureTwice_IsIdentical_DifferentFiguresHaveDifferentIds()
    {
        Figure Make(double last) => Plot.Line([0, 1, last]).WithTitle("t");
        Assert.Equal(Make(2).ToSvg(), Make(2).ToSvg());
        string ClipId(Figure f) => (string)Render(f).Descendants(Svg + "clipPath").Single().Attribute("id")!;
        Assert.NotEqual(ClipId(Make(2)), ClipId(Make(3)));
    }

    [Fact]
    public void ToSvg_GermanCulture_WritesDecimalPoints()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var svg = Render(Plot.Line([0.1, 0.2, 0.35], [0.5, 0.25, 0.125]));
            var path = (string)InGroup(svg, "scatter", "path").Single().Attribute("d")!;
            Assert.DoesNotContain(",", path);
            Assert.Contains("0.20", InGroup(svg, "ticks", "text").Select(t => t.Value)); // ticks 0.05 apart print two decimals
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToSvg_EqualAspect_GivesEqualPixelsPerUnitOnBothAxes()
    {
        var svg = Render(Plot.Scatter([0, 4, 0], [0, 0, 1]).WithEqualAspect());
        var circles = InGroup(svg, "scatter", "circle").Select(c => (X: Number(c, "cx"), Y: Number(c, "cy"))).ToArray();
        var pixelsPerUnitX = (circles[1].X - circles[0].X) / 4;
        var pixelsPerUnitY = circles[0].Y - circles[2].Y;
        Assert.Equal(pixelsPerUnitX, pixelsPerUnitY, 0.05);
    }
}
