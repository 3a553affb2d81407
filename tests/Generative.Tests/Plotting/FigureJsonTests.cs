using System.Globalization;
using System.Text.Json;
using Generative.Plotting;

namespace Generative.Tests.Plotting;

public class FigureJsonTests
{
    private static JsonElement Parse(Figure figure) => JsonDocument.Parse(figure.ToJson()).RootElement;

    [Fact]
    public void ToJson_LineWithTitles_HasPlotlyDataAndLayoutShape()
    {
        var figure = Plot.Line([0, 1, 2], [1.5, 2.5, 0.25], name: "loss").WithTitle("Training").WithAxisTitles("epoch", "nats");

        var root = Parse(figure);

        Assert.Equal(["data", "layout"], root.EnumerateObject().Select(p => p.Name));
        var trace = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal("scatter", trace.GetProperty("type").GetString());
        Assert.Equal("lines", trace.GetProperty("mode").GetString());
        Assert.Equal("loss", trace.GetProperty("name").GetString());
        Assert.Equal([0.0, 1, 2], trace.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([1.5, 2.5, 0.25], trace.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        var layout = root.GetProperty("layout");
        Assert.Equal("Training", layout.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("epoch", layout.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("nats", layout.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(ScatterMode.Lines, "lines")]
    [InlineData(ScatterMode.Markers, "markers")]
    [InlineData(ScatterMode.LinesAndMarkers, "lines+markers")]
    public void ToJson_ScatterMode_UsesPlotlyModeName(ScatterMode mode, string expected)
    {
        var root = Parse(new Figure(new ScatterTrace([1], [2], mode)));
        Assert.Equal(expected, root.GetProperty("data")[0].GetProperty("mode").GetString());
    }

    [Fact]
    public void ToJson_PointColors_WritesMarkerColorArray()
    {
        var root = Parse(new Figure(new ScatterTrace([1, 2], [3, 4], ScatterMode.Markers) { PointColors = ["#ff0000", "#00ff00"] }));
        var colors = root.GetProperty("data")[0].GetProperty("marker").GetProperty("color");
        Assert.Equal(["#ff0000", "#00ff00"], colors.EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void ToJson_NonFiniteValue_BecomesNull()
    {
        var root = Parse(Plot.Line([0, 1, 2], [1, double.NaN, double.PositiveInfinity]));
        var y = root.GetProperty("data")[0].GetProperty("y");
        Assert.Equal([JsonValueKind.Number, JsonValueKind.Null, JsonValueKind.Null], y.EnumerateArray().Select(v => v.ValueKind));
    }

    [Fact]
    public void ToJson_GermanCulture_StillUsesDecimalPoints()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var json = Plot.Line([0.5], [1.25]).ToJson();
            Assert.Contains("[0.5]", json);
            Assert.Contains("[1.25]", json);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ToJson_Histogram_WritesBinsThatCoverTheData()
    {
        double[] values = [0, 1, 1, 2, 3, 10];
        var trace = Parse(Plot.Histogram(values, bins: 5)).GetProperty("data")[0];

        Assert.Equal("histogram", trace.GetProperty("type").GetString());
        Assert.Equal(5, trace.GetProperty("nbinsx").GetInt32());
        var bins = trace.GetProperty("xbins");
        Assert.Equal(0, bins.GetProperty("start").GetDouble());
        Assert.Equal(10, bins.GetProperty("end").GetDouble(), 12);
        Assert.Equal(2, bins.GetProperty("size").GetDouble(), 12);
    }

    [Fact]
    public void ToJson_HistogramDensity_WritesHistnorm()
    {
        var trace = Parse(Plot.Histogram([1, 2, 3], normalization: HistogramNormalization.ProbabilityDensity)).GetProperty("data")[0];
        Assert.Equal("probability density", trace.GetProperty("histnorm").GetString());
    }

    [Fact]
    public void ToJson_Heatmap_WritesZAsRowsAndColorscaleName()
    {
        var z = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        var trace = Parse(Plot.Heatmap(z, [10, 20, 30], [0, 1], Colorscale.Greys)).GetProperty("data")[0];

        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        var rows = trace.GetProperty("z").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal([[1.0, 2, 3], [4.0, 5, 6]], rows);
        Assert.Equal("Greys", trace.GetProperty("colorscale").GetString());
    }

    [Fact]
    public void ToJson_Contour_WritesExplicitLevelsInsideTheDataRange()
    {
        var z = new double[,] { { 0, 1 }, { 1, 2 } };
        var trace = Parse(Plot.Contour(z, levels: 4)).GetProperty("data")[0];

        Assert.Equal("contour", trace.GetProperty("type").GetString());
        Assert.False(trace.GetProperty("autocontour").GetBoolean());
        var contours = trace.GetProperty("contours");
        Assert.True(contours.GetProperty("start").GetDouble() > 0);
        Assert.True(contours.GetProperty("end").GetDouble() < 2);
        Assert.Equal("fill", contours.GetProperty("coloring").GetString());
    }

    [Fact]
    public void ToJson_BarChart_UsesCategoryAxis()
    {
        var root = Parse(Plot.Bar(["1", "2"], [3, 4]));
        Assert.Equal("bar", root.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.Equal("category", root.GetProperty("layout").GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Fact]
    public void ToJson_EqualAspectAndRanges_WritesScaleanchorAndRange()
    {
        var layout = Parse(Plot.Scatter([0], [0]).WithEqualAspect().WithXRange(-2, 3).WithSize(500, 400)).GetProperty("layout");
        Assert.Equal("x", layout.GetProperty("yaxis").GetProperty("scaleanchor").GetString());
        Assert.Equal([-2.0, 3], layout.GetProperty("xaxis").GetProperty("range").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(500, layout.GetProperty("width").GetInt32());
        Assert.Equal(400, layout.GetProperty("height").GetInt32());
    }

    [Fact]
    public void ToJson_LogAxisRange_IsInPowersOfTen()
    {
        var yaxis = Parse(Plot.Line([1, 2]).WithLogY().WithYRange(0.01, 100)).GetProperty("layout").GetProperty("yaxis");
        Assert.Equal("log", yaxis.GetProperty("type").GetString());
        Assert.Equal([-2.0, 2], yaxis.GetProperty("range").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void ToJson_ScatterByClass_OneNamedTracePerClassWithLegend()
    {
        var root = Parse(Plot.ScatterByClass([0, 1, 2, 3], [0, 1, 2, 3], [1, 0, 1, 1], ["zero", "one"]));
        var traces = root.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(["zero", "one"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([1, 3], traces.Select(t => t.GetProperty("x").GetArrayLength()));
        Assert.True(root.GetProperty("layout").GetProperty("showlegend").GetBoolean());
    }
}
