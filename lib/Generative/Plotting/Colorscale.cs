using System.Globalization;
using System.Text.Json;

namespace Generative.Plotting;

/// <summary>
/// A map from [0, 1] to colours, by linear interpolation between stops, as plotly.js <c>colorscale</c>.
/// The built-in scales use plotly.js's names and stops so the static and interactive renderings agree.
/// </summary>
public sealed class Colorscale
{
    private readonly (double Position, Rgb Color)[] _stops;
    private readonly bool _builtIn;

    private Colorscale(string name, (double, Rgb)[] stops, bool builtIn)
    {
        Name = name;
        _stops = stops;
        _builtIn = builtIn;
    }

    /// <summary>Perceptually uniform dark purple to yellow; the default for densities.</summary>
    public static Colorscale Viridis { get; } = FromHex("Viridis", true,
        "#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
        "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725");

    /// <summary>Black (low) to white (high), like plotly.js <c>Greys</c>: images of digits and clothes.</summary>
    public static Colorscale Greys { get; } = FromHex("Greys", true, "#000000", "#ffffff");

    /// <summary>Blue (low) through grey to red (high), plotly.js <c>RdBu</c>: signed values such as weights.</summary>
    public static Colorscale RdBu { get; } = new("RdBu",
    [
        (0, new Rgb(5, 10, 172)), (0.35, new Rgb(106, 137, 247)), (0.5, new Rgb(190, 190, 190)),
        (0.6, new Rgb(220, 170, 132)), (0.7, new Rgb(230, 145, 90)), (1, new Rgb(178, 10, 28)),
    ], builtIn: true);

    /// <summary>The plotly.js name of a built-in scale, or <c>custom</c>.</summary>
    public string Name { get; }

    /// <summary>Creates a scale from evenly spaced CSS hex colours (<c>#rrggbb</c>), low to high.</summary>
    public static Colorscale FromColors(params string[] hexColors) => FromHex("custom", false, hexColors);

    /// <summary>
    /// Creates a scale from explicit stops (position in [0, 1], CSS hex colour), as plotly.js writes a custom
    /// <c>colorscale</c>: positions must increase from 0 to 1.
    /// </summary>
    public static Colorscale FromStops(IEnumerable<(double Position, string HexColor)> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        var parsed = stops.Select(stop => (stop.Position, Rgb.Parse(stop.HexColor))).ToArray();
        if (parsed.Length < 2 || parsed[0].Position != 0 || parsed[^1].Position != 1
            || parsed.Zip(parsed.Skip(1)).Any(pair => !(pair.First.Position < pair.Second.Position)))
        {
            throw new ArgumentException(
                $"Colour scale stops must start at 0, end at 1 and increase, got [{string.Join(", ", parsed.Select(stop => stop.Position.ToString(CultureInfo.InvariantCulture)))}].", nameof(stops));
        }
        return new Colorscale("custom", parsed, builtIn: false);
    }

    /// <summary>The built-in scale called <paramref name="name"/> (plotly.js spelling, any case), or null.</summary>
    internal static Colorscale? BuiltIn(string name) =>
        new[] { Viridis, Greys, RdBu }.FirstOrDefault(scale => string.Equals(scale.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The colour at <paramref name="t"/>, clamped to [0, 1].</summary>
    public Rgb At(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        for (var i = 1; i < _stops.Length; i++)
        {
            if (t <= _stops[i].Position)
            {
                var (p0, c0) = _stops[i - 1];
                var (p1, c1) = _stops[i];
                return Rgb.Lerp(c0, c1, (t - p0) / (p1 - p0));
            }
        }
        return _stops[^1].Color;
    }

    /// <summary>Writes the scale as plotly.js expects: its name if built in, else <c>[[position, colour], ...]</c>.</summary>
    internal void WriteJson(Utf8JsonWriter json, string propertyName)
    {
        if (_builtIn)
        {
            json.WriteString(propertyName, Name);
            return;
        }
        json.WriteStartArray(propertyName);
        foreach (var (position, color) in _stops)
        {
            json.WriteStartArray();
            json.WriteNumberValue(position);
            json.WriteStringValue(color.ToHex());
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    /// <summary>The stops as (position, colour) pairs, for gradients.</summary>
    internal IReadOnlyList<(double Position, Rgb Color)> Stops => _stops;

    private static Colorscale FromHex(string name, bool builtIn, params string[] hexColors)
    {
        if (hexColors.Length < 2)
        {
            throw new ArgumentException("A colour scale needs at least two colours.", nameof(hexColors));
        }
        var stops = hexColors
            .Select((hex, i) => ((double)i / (hexColors.Length - 1), Rgb.Parse(hex)))
            .ToArray();
        return new Colorscale(name, stops, builtIn);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
