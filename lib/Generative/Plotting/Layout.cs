using System.Text.Json;

namespace Generative.Plotting;

/// <summary>Everything about a figure that is not data, as plotly.js <c>layout</c>.</summary>
public sealed class Layout
{
    /// <summary>The figure title.</summary>
    public string? Title { get; set; }

    /// <summary>Width in pixels; null means <see cref="DefaultWidth"/> in the SVG and the container's width in plotly.js.</summary>
    public int? Width { get; set; }

    /// <summary>Height in pixels; null means <see cref="DefaultHeight"/>.</summary>
    public int? Height { get; set; }

    /// <summary>The horizontal axis.</summary>
    public Axis XAxis { get; } = new();

    /// <summary>The vertical axis.</summary>
    public Axis YAxis { get; } = new();

    /// <summary>Whether to show the legend; null shows it when more than one trace has a name.</summary>
    public bool? ShowLegend { get; set; }

    /// <summary>How bars and histograms of several traces share a position.</summary>
    public BarMode BarMode { get; set; }

    /// <summary>The SVG width when <see cref="Width"/> is not set.</summary>
    public const int DefaultWidth = 640;

    /// <summary>The SVG height when <see cref="Height"/> is not set.</summary>
    public const int DefaultHeight = 420;

    internal void WriteJson(Utf8JsonWriter json, bool categoryX, bool showLegend)
    {
        json.WriteStartObject("layout");
        if (Title is not null)
        {
            json.WriteStartObject("title");
            json.WriteString("text", Title);
            json.WriteEndObject();
        }
        if (Width is { } width)
        {
            json.WriteNumber("width", width);
        }
        if (Height is { } height)
        {
            json.WriteNumber("height", height);
        }
        json.WriteBoolean("showlegend", showLegend);
        if (BarMode == BarMode.Overlay)
        {
            json.WriteString("barmode", "overlay");
        }
        XAxis.WriteJson(json, "xaxis", categoryX);
        YAxis.WriteJson(json, "yaxis", category: false);
        json.WriteEndObject();
    }
}
