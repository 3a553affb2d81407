using System.Text.Json;
using Microsoft.FSharp.Collections;
using Plotly.NET;
using CourseFigure = Generative.Plotting.Figure;

namespace Generative.PlotlyNet;

/// <summary>
/// Converts between the course's <see cref="CourseFigure"/> and Plotly.NET's <see cref="GenericChart"/>. Both describe
/// a plotly.js figure, so the conversion goes through that figure JSON: every trace property and layout property the
/// course writes is set on Plotly.NET's trace and layout objects under its plotly.js name, and nothing is lost.
/// </summary>
/// <example><code>
/// GenericChart chart = Plot.Line(losses, name: "train").WithTitle("Loss").ToChart();   // then Plotly.NET's API
/// Figure figure = chart.ToFigure();                                                   // and back
/// </code></example>
public static class FigureCharts
{
    /// <summary>
    /// A Plotly.NET chart with the figure's traces and layout. It carries no Plotly.NET template, so plotly.js draws it as
    /// it draws the course figure's JSON; Plotly.NET's styling functions (<c>Chart.withTitle</c> and friends) work on it.
    /// </summary>
    public static GenericChart ToChart(this CourseFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        using var json = JsonDocument.Parse(figure.ToJson());
        var traces = json.RootElement.GetProperty("data").EnumerateArray()
            .Select(trace => (Trace)Fill(new Trace2D(trace.GetProperty("type").GetString()!), trace))
            .ToList();
        var layout = Fill(new Layout(), json.RootElement.GetProperty("layout"));
        return GenericChart.NewMultiChart(ListModule.OfSeq(traces), layout, Defaults.DefaultConfig, Defaults.DefaultDisplayOptions);
    }

    /// <summary>
    /// The course figure a Plotly.NET chart describes, read from Plotly.NET's own <c>GenericChart.toFigureJson</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">The chart has a trace type or property the course cannot draw; the message names it.</exception>
    public static CourseFigure ToFigure(this GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return CourseFigure.FromJson(GenericChart.toFigureJson(chart));
    }

    /// <summary>Sets each property of the JSON object on <paramref name="target"/> under its plotly.js name.</summary>
    private static T Fill<T>(T target, JsonElement properties) where T : DynamicObj.DynamicObj
    {
        foreach (var property in properties.EnumerateObject())
        {
            target.SetProperty(property.Name, ToValue(property.Value));
        }
        return target;
    }

    /// <summary>A JSON value as what Plotly.NET serialises back to the same JSON.</summary>
    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => Fill(new DynamicObj.DynamicObj(), value),
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToArray(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt32(out var whole) => whole,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
