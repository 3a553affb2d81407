using System.Text;
using System.Text.Json;
using Generative.Notebook;

namespace Generative.Plotting;

/// <summary>
/// A plot: traces (the data) and a layout, with the same structure as a plotly.js figure.
/// In a notebook it shows itself as a static SVG that needs no script; <see cref="ToJson"/> gives the
/// plotly.js JSON that the course site uses to make it interactive.
/// </summary>
/// <example><code>
/// Plot.Line(losses, name: "train").Add(Plot.Line(validLosses, name: "valid")).WithAxisTitles("epoch", "NLL (nats)")
/// </code></example>
[TypeFormatterSource(typeof(DisplayFormatterSource<Figure>), PreferredMimeTypes = new[] { MimeTypes.Html, MimeTypes.Svg, MimeTypes.PlainText })]
public sealed class Figure : ISvgDisplayable
{
    private readonly List<Trace> _traces = [];

    /// <summary>Creates a figure holding <paramref name="traces"/>.</summary>
    public Figure(params IEnumerable<Trace> traces)
    {
        foreach (var trace in traces)
        {
            Add(trace);
        }
    }

    /// <summary>The data series, drawn in order (later ones on top).</summary>
    public IReadOnlyList<Trace> Traces => _traces;

    /// <summary>Title, size, axes and legend.</summary>
    public Layout Layout { get; } = new();

    /// <summary>Adds a trace on top of the existing ones.</summary>
    public Figure Add(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        _traces.Add(trace);
        return this;
    }

    /// <summary>Adds every trace of <paramref name="other"/>; this figure's layout is kept.</summary>
    public Figure Add(Figure other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var trace in other.Traces)
        {
            Add(trace);
        }
        return this;
    }

    /// <summary>Sets the title.</summary>
    public Figure WithTitle(string title)
    {
        Layout.Title = title;
        return this;
    }

    /// <summary>Sets the axis titles; null leaves a title unchanged.</summary>
    public Figure WithAxisTitles(string? x, string? y)
    {
        Layout.XAxis.Title = x ?? Layout.XAxis.Title;
        Layout.YAxis.Title = y ?? Layout.YAxis.Title;
        return this;
    }

    /// <summary>Fixes the visible x range.</summary>
    public Figure WithXRange(double min, double max)
    {
        Layout.XAxis.Range = CheckedRange(min, max, "x");
        return this;
    }

    /// <summary>Fixes the visible y range.</summary>
    public Figure WithYRange(double min, double max)
    {
        Layout.YAxis.Range = CheckedRange(min, max, "y");
        return this;
    }

    /// <summary>Uses a logarithmic y axis, for losses and likelihood ratios spanning decades.</summary>
    public Figure WithLogY()
    {
        Layout.YAxis.Log = true;
        return this;
    }

    /// <summary>Makes one unit as long along y as along x, so circles look round (plotly.js <c>scaleanchor</c>).</summary>
    public Figure WithEqualAspect()
    {
        Layout.YAxis.ScaleAnchor = "x";
        return this;
    }

    /// <summary>Sets the size in pixels.</summary>
    public Figure WithSize(int width, int height)
    {
        if (width < 100 || height < 80)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A figure of {width}x{height} pixels is too small to draw; use at least 100x80.");
        }
        Layout.Width = width;
        Layout.Height = height;
        return this;
    }

    /// <summary>Shows or hides the legend.</summary>
    public Figure WithLegend(bool show)
    {
        Layout.ShowLegend = show;
        return this;
    }

    /// <summary>Sets how several bar or histogram traces share a position.</summary>
    public Figure WithBarMode(BarMode mode)
    {
        Layout.BarMode = mode;
        return this;
    }

    /// <summary>The plotly.js figure <c>{"data": [...], "layout": {...}}</c>, compact and culture-invariant.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var trace in _traces)
            {
                trace.WriteJson(json);
            }
            json.WriteEndArray();
            Layout.WriteJson(json, categoryX: HasCategoryX, showLegend: ShowsLegend);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The figure described by plotly.js figure JSON <c>{"data": [...], "layout": {...}}</c>: what <see cref="ToJson"/>
    /// writes, and what Plotly.NET (<c>GenericChart.toFigureJson</c>) and XPlot write for the trace types and layout
    /// properties the course draws (scatter, bar, histogram, heatmap, contour; title, size, legend, bar mode, axis
    /// titles, ranges, log and reversed axes, equal aspect). A layout <c>template</c> is ignored: the course draws in its
    /// own style.
    /// </summary>
    /// <exception cref="NotSupportedException">A trace type or property the course cannot draw; the message names it.</exception>
    /// <exception cref="FormatException">The text is not figure JSON.</exception>
    public static Figure FromJson(string json) => PlotlyJsonReader.Read(json);

    /// <summary>A static SVG drawing of the figure, identical for identical figures.</summary>
    public string ToSvg() => SvgRenderer.Render(this);

    /// <summary>
    /// <c>&lt;div class="gen-figure"&gt;&lt;svg&gt;...&lt;/svg&gt;&lt;script type="application/json" class="gen-plotly-spec"&gt;JSON&lt;/script&gt;&lt;/div&gt;</c>:
    /// the SVG shows everywhere; pages that load plotly.js may replace it with an interactive plot built from the JSON.
    /// </summary>
    public string ToHtml() =>
        // The JSON rides in a non-executable script element rather than an attribute: no &quot; escaping, which
        // roughly halves its size in a stored notebook. System.Text.Json escapes '<', so it cannot close the element.
        $"<div class=\"gen-figure\">{ToSvg()}<script type=\"application/json\" class=\"gen-plotly-spec\">{ToJson()}</script></div>";

    /// <summary>One line, e.g. <c>Figure: Training loss (2 traces: scatter 'train', scatter 'valid')</c>.</summary>
    public string ToPlainText()
    {
        var title = Layout.Title is null ? "" : $" {Layout.Title}";
        var traces = _traces.Count == 1 ? "1 trace" : $"{_traces.Count} traces";
        var details = _traces.Count == 0 ? "" : ": " + string.Join(", ", _traces.Select(trace => trace.Describe()));
        return $"Figure:{title} ({traces}{details})";
    }

    /// <inheritdoc/>
    public override string ToString() => ToPlainText();

    /// <summary>
    /// Whether the legend is drawn: as set, or when more than one trace has a name. Written to the JSON too, so
    /// plotly.js does not invent "trace 0" entries the SVG lacks.
    /// </summary>
    internal bool ShowsLegend => Layout.ShowLegend ?? _traces.Count(trace => trace.Name is not null && trace is not GridTrace) > 1;

    /// <summary>Bar traces put the x axis in category mode.</summary>
    internal bool HasCategoryX => _traces.Any(trace => trace is BarTrace);

    private static (double, double) CheckedRange(double min, double max, string axis) =>
        double.IsFinite(min) && double.IsFinite(max) && min < max
            ? (min, max)
            : throw new ArgumentException($"The {axis} range [{min}, {max}] must be finite with min < max.");
}
