using System.Text.Json;

namespace Generative.Plotting;

/// <summary>One axis of a figure, as plotly.js <c>layout.xaxis</c> / <c>layout.yaxis</c>.</summary>
public sealed class Axis
{
    /// <summary>The axis title, e.g. <c>epoch</c>.</summary>
    public string? Title { get; set; }

    /// <summary>The visible range in data units; null fits the data.</summary>
    public (double Min, double Max)? Range { get; set; }

    /// <summary>Logarithmic (base 10) scale, for quantities spanning decades such as a loss.</summary>
    public bool Log { get; set; }

    /// <summary>Draws values decreasing along the axis, e.g. image rows top to bottom (plotly.js <c>autorange: "reversed"</c>).</summary>
    public bool Reversed { get; set; }

    /// <summary>
    /// The id of the axis this one keeps its scale equal to (plotly.js <c>scaleanchor</c>, e.g. <c>x</c>),
    /// so one unit is as long along y as along x: circles look round.
    /// </summary>
    public string? ScaleAnchor { get; set; }

    /// <summary>Writes the axis object; <paramref name="category"/> makes it a category axis (bar charts).</summary>
    internal void WriteJson(Utf8JsonWriter json, string propertyName, bool category)
    {
        json.WriteStartObject(propertyName);
        if (Title is not null)
        {
            json.WriteStartObject("title");
            json.WriteString("text", Title);
            json.WriteEndObject();
        }
        if (category)
        {
            json.WriteString("type", "category");
        }
        else if (Log)
        {
            json.WriteString("type", "log");
            // One labelled tick per decade, written 10^k, as the SVG draws them (plotly's default adds SI
            // suffixes such as 100µ and labels minor ticks).
            json.WriteNumber("dtick", 1);
            json.WriteString("exponentformat", "power");
        }
        if (Range is { } range)
        {
            // plotly.js gives a log axis's range in powers of ten.
            json.WriteStartArray("range");
            JsonValues.WriteNumber(json, Log ? Math.Log10(Reversed ? range.Max : range.Min) : Reversed ? range.Max : range.Min);
            JsonValues.WriteNumber(json, Log ? Math.Log10(Reversed ? range.Min : range.Max) : Reversed ? range.Min : range.Max);
            json.WriteEndArray();
        }
        else if (Reversed)
        {
            json.WriteString("autorange", "reversed");
        }
        if (ScaleAnchor is not null)
        {
            json.WriteString("scaleanchor", ScaleAnchor);
            json.WriteNumber("scaleratio", 1);
        }
        json.WriteEndObject();
    }
}
