using Generative.Notebook;
using Generative.Plotting;
using Generative.PlotlyNet;
using Plotly.NET.CSharp;
using PlotlyChart = Plotly.NET.CSharp.Chart;
using GenericChart = Plotly.NET.GenericChart;
using StyleParam = Plotly.NET.StyleParam;
using XChart = XPlot.Plotly.Chart;

namespace Generative.Tests.Plotting;

/// <summary>
/// The course's <see cref="Figure"/> against plotly figure JSON, Plotly.NET and XPlot: round trips keep every trace and
/// layout property, and a chart built with Plotly.NET's or XPlot's own API draws the same SVG as the equivalent figure.
/// </summary>
public class PlotlyInteropTests
{
    /// <summary>Figures using every trace type and layout property the course draws; data exact at 6 significant digits.</summary>
    public static TheoryData<string> FigureNames => [.. Figures.Keys];

    private static readonly Dictionary<string, Func<Figure>> Figures = new()
    {
        ["lines, markers, hover texts, log axis"] = () => Plot.Line([1, 2, 3, 4], [0.5, 0.05, 0.005, 0.002], "train")
            .Add(new ScatterTrace([1, 2, 3, 4], [0.6, 0.1, 0.01, 0.004], ScatterMode.LinesAndMarkers)
            {
                Name = "valid", Color = "#d62728", Dash = "dash", LineWidth = 3, MarkerSize = 8, MarkerOpacity = 0.5,
                HoverTexts = ["a", "b <c>", "d", "e"],
            })
            .Add(new ScatterTrace([1.5, 2.5], [0.2, double.NaN], ScatterMode.Markers) { PointColors = ["#000000", "#ffffff"] })
            .WithTitle("Loss").WithAxisTitles("epoch", "nats").WithLogY().WithYRange(0.001, 1).WithSize(700, 400),
        ["bars overlaid, histogram with explicit bins"] = () => Plot.Bar(["a", "b", "c"], [1, 3, 2], "first")
            .Add(new BarTrace(["a", "b", "c"], [2, 1, 0.5]) { Name = "second", Color = "#2ca02c" })
            .WithBarMode(BarMode.Overlay).WithLegend(true).WithAxisTitles(null, "count"),
        ["histograms by count and by bins"] = () => Plot.Histogram([0.25, 0.5, 0.5, 1.75, 2, 3.5], bins: 4, "by count", HistogramNormalization.ProbabilityDensity)
            .Add(new HistogramTrace([1, 2, 2, 3]) { Name = "by bins", Bins = (0, 4, 0.5), Normalization = HistogramNormalization.Probability, Color = "#9467bd", Opacity = 0.6 })
            .WithXRange(-1, 5),
        ["heatmap reversed, contour levels"] = () =>
        {
            var heatmap = Plot.Heatmap(new double[,] { { 0, 1, 2 }, { 3, 4, 5 } }, [10, 20, 30], [0, 1], Colorscale.Greys);
            heatmap.Layout.YAxis.Reversed = true;
            return heatmap.WithEqualAspect().WithTitle("image");
        },
        ["contours"] = () => new Figure(
                new ContourTrace(new double[,] { { 0, 1, 2 }, { 1, 2, 3 }, { 2, 3, 4 } }, levelCount: 5) { Colorscale = Colorscale.RdBu, ShowScale = false, ZMin = -1, ZMax = 5 },
                new ContourTrace(new double[,] { { 0, 1 }, { 1, 0 } }, [0, 2], [0, 2]) { Levels = (0.25, 0.75, 0.25), Coloring = ContourColoring.Lines, Colorscale = Colorscale.FromColors("#000000", "#ff0000", "#ffffff") })
            .WithXRange(0, 2).WithYRange(0, 2),
    };

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void FromJson_OfToJson_KeepsTracesAndLayout(string name)
    {
        var figure = Figures[name]();

        var read = Figure.FromJson(figure.ToJson());

        Assert.Equal(figure.ToJson(), read.ToJson());
        Assert.Equal(figure.ToSvg(), read.ToSvg());
        Assert.Equal(figure.ToPlainText(), read.ToPlainText());
    }

    [Theory]
    [MemberData(nameof(FigureNames))]
    public void ToChart_ThroughPlotlyNetFigureJson_KeepsTracesAndLayout(string name)
    {
        var figure = Figures[name]();

        GenericChart chart = figure.ToChart();
        var plotlyJson = GenericChart.toFigureJson(chart);
        var read = Figure.FromJson(plotlyJson);

        Assert.Equal(figure.Traces.Count, GenericChart.getTraces(chart).Length);
        Assert.Equal(figure.ToJson(), read.ToJson());
        Assert.Equal(figure.ToSvg(), read.ToSvg());
        Assert.Equal(figure.ToSvg(), chart.ToFigure().ToSvg());
    }

    [Fact]
    public void PlotlyNetLineAndPoints_SameSvgAsCourseFigure()
    {
        double[] xs = [0, 1, 2, 3, 4], train = [2, 1.5, 1.25, 1.125, 1.0625], valid = [2.5, 2, 1.75, 1.7, 1.75];
        var combined = PlotlyChart.Combine(
            [
                PlotlyChart.Line<double, double, string>(xs, train, Name: "train"),
                PlotlyChart.Point<double, double, string>(xs, valid, Name: "valid", MultiText: new[] { "e0", "e1", "e2", "e3", "e4" }),
            ]);
        // Plotly.NET.CSharp 0.14 has no WithTitle; the F# API's withTitle applies to a chart as a function.
        var chart = Plotly.NET.Chart.withTitle("Loss", null).Invoke(combined)
            .WithXAxisStyle<double, double, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "nats")
            .WithSize(640, 420);
        var figure = Plot.Line(xs, train, "train")
            .Add(new ScatterTrace(xs, valid, ScatterMode.Markers) { Name = "valid", HoverTexts = ["e0", "e1", "e2", "e3", "e4"] })
            .WithTitle("Loss").WithAxisTitles("epoch", "nats").WithSize(640, 420);

        Assert.Equal(figure.ToSvg(), chart.ToFigure().ToSvg());
    }

    [Fact]
    public void PlotlyNetColumnsAndHistogram_SameSvgAsCourseFigures()
    {
        var columns = PlotlyChart.Column<double, string, string>([3, 1, 2], Keys: new[] { "cat", "dog", "fox" }, Name: "pets").WithSize(640, 420);
        double[] values = [0.1, 0.4, 0.45, 0.8, 0.95, 1.3, 1.9, 2.2];
        var histogram = PlotlyChart.Histogram<double, double, string>(X: values, NBinsX: 4, HistNorm: StyleParam.HistNorm.ProbabilityDensity).WithSize(640, 420);

        Assert.Equal(Plot.Bar(["cat", "dog", "fox"], [3, 1, 2], "pets").WithSize(640, 420).ToSvg(), columns.ToFigure().ToSvg());
        Assert.Equal(Plot.Histogram(values, 4, normalization: HistogramNormalization.ProbabilityDensity).WithSize(640, 420).ToSvg(), histogram.ToFigure().ToSvg());
    }

    [Fact]
    public void PlotlyNetHeatmap_SameSvgAsCourseFigure()
    {
        double[][] rows = [[0, 0.5, 1], [1, 2, 4]];
        var chart = PlotlyChart.Heatmap<double, double, double, string>(rows, X: new double[] { 1, 2, 3 }, Y: new double[] { 0, 1 },
            ColorScale: StyleParam.Colorscale.Viridis).WithSize(640, 420);

        var figure = Plot.Heatmap(new double[,] { { 0, 0.5, 1 }, { 1, 2, 4 } }, [1, 2, 3], [0, 1]).WithSize(640, 420);

        Assert.Equal(figure.ToSvg(), chart.ToFigure().ToSvg());
    }

    [Fact]
    public void PlotlyNetAxisStyles_SameSvgAsCourseFigure()
    {
        double[] xs = [1, 2, 3], ys = [1, 10, 100];
        var logLine = PlotlyChart.Line<double, double, string>(xs, ys, Name: "decades")
            .WithXAxisStyle<double, double, string>(TitleText: "a", MinMax: Tuple.Create(0.5, 3.5))
            .WithYAxisStyle<double, double, string>(AxisType: StyleParam.AxisType.Log)
            .WithSize(640, 420);

        var figure = Plot.Line(xs, ys, "decades").WithAxisTitles("a", null).WithXRange(0.5, 3.5).WithLogY().WithSize(640, 420);

        Assert.Equal(figure.ToSvg(), logLine.ToFigure().ToSvg());
    }

    [Fact]
    public void FromJson_PlotlyNetContour_RefusedForItsLineWidth()
    {
        // Plotly.NET writes "line": {"width": 0} on every contour (no lines between the bands), which the course cannot draw.
        var contour = PlotlyChart.Contour<double, double, double, string>([[0, 1], [1, 2]]);

        var error = Assert.Throws<NotSupportedException>(() => contour.ToFigure());

        Assert.Contains("Trace 0 (contour).line has property 'width'", error.Message);
    }

    [Fact]
    public void XPlotScatter_SameSvgAsCourseFigure()
    {
        double[] xs = [1, 2, 3], ys = [4, 1, 3];
        var chart = XChart.Plot(new XPlot.Plotly.Scatter { x = xs, y = ys, mode = "lines", name = "a" });
        chart.WithLayout(new XPlot.Plotly.Layout.Layout { title = "XPlot", width = 640, height = 420, xaxis = new XPlot.Plotly.Xaxis { title = "x" } });

        var json = ForeignCharts.FigureJson(chart);

        Assert.NotNull(json);
        Assert.Equal(Plot.Line(xs, ys, "a").WithTitle("XPlot").WithAxisTitles("x", null).WithSize(640, 420).ToSvg(), Figure.FromJson(json!).ToSvg());
    }

    [Fact]
    public void FormatterConvention_PlotlyNetChart_SameBundleAsCourseFigure()
    {
        double[] xs = [0, 1, 2], ys = [1, 0, 1];
        var chart = PlotlyChart.Line<double, double, string>(xs, ys, Name: "curve").WithSize(640, 420);
        var figure = Plot.Line(xs, ys, "curve").WithSize(640, 420);

        var chartBundle = FormatterConvention.Format(chart);

        Assert.Equal(FormatterConvention.Format(figure), chartBundle);
        Assert.Equal([MimeTypes.Html, MimeTypes.Svg, MimeTypes.PlainText], chartBundle.Select(entry => entry.Key));
    }

    [Fact]
    public void HoverTexts_OnePerMarker_SvgTitleAndPlotlyHovertext()
    {
        var figure = new Figure(new ScatterTrace([1, 2], [3, 4], ScatterMode.Markers) { HoverTexts = ["first", "a <b> & c"] });

        var svg = figure.ToSvg();
        var trace = System.Text.Json.JsonDocument.Parse(figure.ToJson()).RootElement.GetProperty("data")[0];

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(svg, "<circle [^>]*><title>"));
        Assert.Contains("<title>a &lt;b&gt; &amp; c</title></circle>", svg);
        Assert.Equal(["first", "a <b> & c"], trace.GetProperty("hovertext").EnumerateArray().Select(text => text.GetString()));
    }

    [Fact]
    public void HoverTexts_CountDiffersFromPoints_ThrowsNamingBothCounts()
    {
        var figure = new Figure(new ScatterTrace([1, 2], [3, 4], ScatterMode.Markers) { Name = "codes", HoverTexts = ["only one"] });

        var error = Assert.Throws<InvalidOperationException>(() => figure.ToSvg());

        Assert.Equal("Scatter trace 'codes' has 2 points but 1 hover texts.", error.Message);
    }

    [Fact]
    public void FromJson_SurfaceTrace_ThrowsNamingTheTraceType()
    {
        var chart = PlotlyChart.Surface<double, double, double, string>([[1, 2], [3, 4]]);

        var error = Assert.Throws<NotSupportedException>(() => chart.ToFigure());

        Assert.Contains("'surface'", error.Message);
    }

    [Theory]
    [InlineData("""{"data":[{"type":"scatter","x":[1],"y":[2],"fill":"tozeroy"}]}""", "Trace 0 (scatter) has property 'fill'")]
    [InlineData("""{"data":[{"type":"bar","x":["a"],"y":[2],"marker":{"pattern":{"shape":"x"}}}]}""", "Trace 0 (bar).marker has property 'pattern'")]
    [InlineData("""{"data":[],"layout":{"annotations":[]}}""", "Layout has property 'annotations'")]
    [InlineData("""{"data":[],"layout":{"xaxis":{"type":"date"}}}""", "Layout.xaxis.type is 'date'")]
    [InlineData("""{"data":[{"type":"heatmap","z":[[1]],"colorscale":"Jet"}]}""", "Trace 0 (heatmap).colorscale is 'Jet'")]
    public void FromJson_UnsupportedProperty_ThrowsNamingIt(string json, string expected)
    {
        var error = Assert.Throws<NotSupportedException>(() => Figure.FromJson(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FromJson_NotJson_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => Figure.FromJson("{\"data\": ["));
    }
}
