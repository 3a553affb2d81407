namespace Generative.Plotting;

/// <summary>How a contour plot is coloured (plotly.js <c>contours.coloring</c>).</summary>
public enum ContourColoring
{
    /// <summary>Bands between levels filled with the scale's colour, thin lines on top (<c>fill</c>).</summary>
    Fill,

    /// <summary>Only the level lines, each coloured by its level (<c>lines</c>).</summary>
    Lines,
}
