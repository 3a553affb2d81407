using System.Text.Json;

namespace Generative.Plotting;

/// <summary>Points (x, y) drawn as lines, markers or both: plotly.js trace type <c>scatter</c>.</summary>
public sealed class ScatterTrace : Trace
{
    /// <summary>Creates a trace from paired coordinates.</summary>
    /// <exception cref="ArgumentException">The two sequences differ in length.</exception>
    public ScatterTrace(IEnumerable<double> x, IEnumerable<double> y, ScatterMode mode = ScatterMode.Lines)
    {
        X = x?.ToArray() ?? throw new ArgumentNullException(nameof(x));
        Y = y?.ToArray() ?? throw new ArgumentNullException(nameof(y));
        if (X.Count != Y.Count)
        {
            throw new ArgumentException($"x has {X.Count} values but y has {Y.Count}; they must pair up.", nameof(y));
        }
        Mode = mode;
    }

    /// <inheritdoc/>
    public override string Type => "scatter";

    /// <summary>The x coordinates.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y coordinates; NaN leaves a gap in a line.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>Lines, markers or both.</summary>
    public ScatterMode Mode { get; set; }

    /// <summary>One CSS colour for the whole trace; null takes the next colour of <see cref="Palette.Default"/>.</summary>
    public string? Color { get; set; }

    /// <summary>A CSS colour per point (markers only); overrides <see cref="Color"/> for the markers.</summary>
    public IReadOnlyList<string>? PointColors { get; set; }

    /// <summary>Marker diameter in pixels (plotly.js default 6).</summary>
    public double MarkerSize { get; set; } = 6;

    /// <summary>Marker opacity in [0, 1]; lower it when many points overlap.</summary>
    public double MarkerOpacity { get; set; } = 1;

    /// <summary>Line width in pixels (plotly.js default 2).</summary>
    public double LineWidth { get; set; } = 2;

    /// <summary>Line dash style: null (solid), <c>dash</c> or <c>dot</c>.</summary>
    public string? Dash { get; set; }

    /// <summary>
    /// A text per point shown when the pointer rests on its marker (plotly.js <c>hovertext</c>; a <c>&lt;title&gt;</c>
    /// tooltip in the SVG), e.g. which test image a latent code belongs to.
    /// </summary>
    public IReadOnlyList<string>? HoverTexts { get; set; }

    internal bool HasLines => Mode is ScatterMode.Lines or ScatterMode.LinesAndMarkers;

    internal bool HasMarkers => Mode is ScatterMode.Markers or ScatterMode.LinesAndMarkers;

    /// <summary>Throws when a per-point list does not have one entry per point.</summary>
    internal void CheckPointLists()
    {
        if (PointColors is not null && PointColors.Count != X.Count)
        {
            throw new InvalidOperationException($"Scatter trace '{Name}' has {X.Count} points but {PointColors.Count} point colours.");
        }
        if (HoverTexts is not null && HoverTexts.Count != X.Count)
        {
            throw new InvalidOperationException($"Scatter trace '{Name}' has {X.Count} points but {HoverTexts.Count} hover texts.");
        }
    }

    private protected override void WriteProperties(Utf8JsonWriter json)
    {
        CheckPointLists();
        json.WriteString("mode", Mode switch
        {
            ScatterMode.Lines => "lines",
            ScatterMode.Markers => "markers",
            _ => "lines+markers",
        });
        JsonValues.WriteNumbers(json, "x", X);
        JsonValues.WriteNumbers(json, "y", Y);
        if (HoverTexts is not null)
        {
            json.WriteStartArray("hovertext");
            foreach (var text in HoverTexts)
            {
                json.WriteStringValue(text);
            }
            json.WriteEndArray();
        }
        if (HasLines)
        {
            json.WriteStartObject("line");
            if (Color is not null)
            {
                json.WriteString("color", Color);
            }
            json.WriteNumber("width", LineWidth);
            if (Dash is not null)
            {
                json.WriteString("dash", Dash);
            }
            json.WriteEndObject();
        }
        if (HasMarkers)
        {
            json.WriteStartObject("marker");
            if (PointColors is not null)
            {
                json.WriteStartArray("color");
                foreach (var color in PointColors)
                {
                    json.WriteStringValue(color);
                }
                json.WriteEndArray();
            }
            else if (Color is not null)
            {
                json.WriteString("color", Color);
            }
            json.WriteNumber("size", MarkerSize);
            if (MarkerOpacity < 1)
            {
                json.WriteNumber("opacity", MarkerOpacity);
            }
            json.WriteEndObject();
        }
    }

    internal override string Describe() => $"{base.Describe()} with {X.Count} points";
}
