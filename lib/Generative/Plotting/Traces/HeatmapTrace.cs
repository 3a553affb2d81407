namespace Generative.Plotting;

/// <summary>Each grid value as a coloured cell: plotly.js trace type <c>heatmap</c>.</summary>
public sealed class HeatmapTrace : GridTrace
{
    /// <summary>Creates a heatmap of <paramref name="z"/> (rows along y); x and y default to the column and row indices.</summary>
    public HeatmapTrace(double[,] z, IEnumerable<double>? x = null, IEnumerable<double>? y = null)
        : base(z, x, y)
    {
    }

    /// <inheritdoc/>
    public override string Type => "heatmap";
}
