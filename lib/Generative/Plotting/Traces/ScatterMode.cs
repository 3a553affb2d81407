namespace Generative.Plotting;

/// <summary>How a scatter trace draws its points (plotly.js <c>mode</c>).</summary>
public enum ScatterMode
{
    /// <summary>Points joined by straight lines (<c>lines</c>).</summary>
    Lines,

    /// <summary>A marker at every point (<c>markers</c>).</summary>
    Markers,

    /// <summary>Both (<c>lines+markers</c>).</summary>
    LinesAndMarkers,
}
