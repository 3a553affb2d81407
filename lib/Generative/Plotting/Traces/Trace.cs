using System.Text.Json;

namespace Generative.Plotting;

/// <summary>
/// One data series of a <see cref="Figure"/>, shaped like a plotly.js trace (<c>{"type": ..., "name": ..., ...}</c>).
/// </summary>
public abstract class Trace
{
    /// <summary>The plotly.js trace type, e.g. <c>scatter</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The name shown in the legend; null leaves the trace out of the legend.</summary>
    public string? Name { get; set; }

    /// <summary>Writes the trace as a plotly.js JSON object.</summary>
    internal void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", Type);
        if (Name is not null)
        {
            json.WriteString("name", Name);
        }
        else
        {
            json.WriteBoolean("showlegend", false);
        }
        WriteProperties(json);
        json.WriteEndObject();
    }

    /// <summary>Writes the type-specific properties of the trace object.</summary>
    private protected abstract void WriteProperties(Utf8JsonWriter json);

    /// <summary>A one-line description used by the figure's plain-text rendering.</summary>
    internal virtual string Describe() => Name is null ? Type : $"{Type} '{Name}'";
}
