using System.Text.Json;

namespace Generative.Plotting;

/// <summary>Level sets of a function sampled on a grid: plotly.js trace type <c>contour</c>.</summary>
public sealed class ContourTrace : GridTrace
{
    /// <summary>Creates a contour plot of <paramref name="z"/> (rows along y) with about <paramref name="levelCount"/> levels.</summary>
    public ContourTrace(double[,] z, IEnumerable<double>? x = null, IEnumerable<double>? y = null, int levelCount = 10)
        : base(z, x, y)
    {
        if (levelCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(levelCount), levelCount, "A contour plot needs at least one level.");
        }
        LevelCount = levelCount;
    }

    /// <inheritdoc/>
    public override string Type => "contour";

    /// <summary>Roughly how many levels to draw (plotly.js <c>ncontours</c>); levels fall on round numbers.</summary>
    public int LevelCount { get; set; }

    /// <summary>Explicit levels <c>(start, end, size)</c> (plotly.js <c>contours</c>); null picks them from <see cref="LevelCount"/>.</summary>
    public (double Start, double End, double Size)? Levels { get; set; }

    /// <summary>Filled bands or lines only.</summary>
    public ContourColoring Coloring { get; set; } = ContourColoring.Fill;

    /// <summary>The levels drawn, written explicitly to the JSON so plotly.js draws the same ones as the SVG.</summary>
    internal double[] ComputeLevels()
    {
        if (Levels is { } levels)
        {
            if (!(levels.Size > 0) || levels.End < levels.Start)
            {
                throw new ArgumentException($"Contour levels need start <= end and size > 0, got {levels}.");
            }
            var count = (int)Math.Floor((levels.End - levels.Start) / levels.Size + 1e-9) + 1;
            return Enumerable.Range(0, count).Select(i => levels.Start + i * levels.Size).ToArray();
        }
        var finite = Z.Cast<double>().Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return [];
        }
        var (min, max) = (finite.Min(), finite.Max());
        if (max <= min)
        {
            return [];
        }
        // Round steps strictly inside (min, max), as plotly.js's autocontour does.
        var size = NiceNumbers.Step((max - min) / (LevelCount + 1));
        var first = Math.Floor(min / size + 1) * size;
        return Enumerable.Range(0, (int)Math.Ceiling((max - first) / size) + 1)
            .Select(i => first + i * size)
            .Where(level => level > min && level < max)
            .ToArray();
    }

    /// <summary>Width of the contour lines in pixels, in the SVG and in plotly.js.</summary>
    internal const double LineWidth = 1.5;

    private protected override void WriteGridProperties(Utf8JsonWriter json)
    {
        var levels = ComputeLevels();
        if (Levels is null)
        {
            json.WriteNumber("ncontours", LevelCount);
        }
        if (levels.Length > 0)
        {
            json.WriteBoolean("autocontour", false);
            json.WriteStartObject("contours");
            json.WriteNumber("start", levels[0]);
            json.WriteNumber("end", levels[^1]);
            json.WriteNumber("size", levels.Length > 1 ? levels[1] - levels[0] : 1);
            json.WriteString("coloring", Coloring == ContourColoring.Fill ? "fill" : "lines");
            json.WriteEndObject();
        }
        if (Coloring == ContourColoring.Lines)
        {
            // plotly.js draws contour lines 0.5 px wide by default; match the SVG so a decision boundary stays
            // visible. Filled contours keep the thin default: their lines only separate the bands.
            json.WriteStartObject("line");
            json.WriteNumber("width", LineWidth);
            json.WriteEndObject();
        }
    }
}
