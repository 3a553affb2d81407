using System.Text.Json;

namespace Generative.Plotting;

/// <summary>
/// Values <c>Z[row, column]</c> on a rectangular grid, at <c>(X[column], Y[row])</c>: the common part of
/// heatmaps and contour plots. Row 0 is drawn at the bottom unless the y axis is reversed, as in plotly.js.
/// </summary>
public abstract class GridTrace : Trace
{
    private protected GridTrace(double[,] z, IEnumerable<double>? x, IEnumerable<double>? y)
    {
        Z = z ?? throw new ArgumentNullException(nameof(z));
        var rows = z.GetLength(0);
        var columns = z.GetLength(1);
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException("z has no values.", nameof(z));
        }
        X = x?.ToArray() ?? Enumerable.Range(0, columns).Select(i => (double)i).ToArray();
        Y = y?.ToArray() ?? Enumerable.Range(0, rows).Select(i => (double)i).ToArray();
        if (X.Count != columns)
        {
            throw new ArgumentException($"x has {X.Count} values but z has {columns} columns.", nameof(x));
        }
        if (Y.Count != rows)
        {
            throw new ArgumentException($"y has {Y.Count} values but z has {rows} rows.", nameof(y));
        }
    }

    /// <summary>The values, indexed [row (y), column (x)].</summary>
    public double[,] Z { get; }

    /// <summary>The x coordinate of each column, increasing and evenly spaced.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>The y coordinate of each row, increasing and evenly spaced.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>Maps values to colours.</summary>
    public Colorscale Colorscale { get; set; } = Colorscale.Viridis;

    /// <summary>Whether a colour bar explains the scale (plotly.js <c>showscale</c>).</summary>
    public bool ShowScale { get; set; } = true;

    /// <summary>The value drawn with the lowest colour; null uses the smallest finite z.</summary>
    public double? ZMin { get; set; }

    /// <summary>The value drawn with the highest colour; null uses the largest finite z.</summary>
    public double? ZMax { get; set; }

    /// <summary>The value range mapped onto the colour scale.</summary>
    internal (double Min, double Max) ColorRange()
    {
        var finite = Z.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var min = ZMin ?? finite.Min();
        var max = ZMax ?? finite.Max();
        return max > min ? (min, max) : (min - 0.5, max + 0.5);
    }

    private protected override void WriteProperties(Utf8JsonWriter json)
    {
        JsonValues.WriteRows(json, "z", Z);
        JsonValues.WriteNumbers(json, "x", X);
        JsonValues.WriteNumbers(json, "y", Y);
        Colorscale.WriteJson(json, "colorscale");
        json.WriteBoolean("showscale", ShowScale);
        if (ZMin is { } zMin)
        {
            json.WriteNumber("zmin", zMin);
        }
        if (ZMax is { } zMax)
        {
            json.WriteNumber("zmax", zMax);
        }
        WriteGridProperties(json);
    }

    /// <summary>Writes what the specific grid trace adds.</summary>
    private protected virtual void WriteGridProperties(Utf8JsonWriter json)
    {
    }

    internal override string Describe() => $"{base.Describe()} of {Z.GetLength(0)}x{Z.GetLength(1)} values";
}
