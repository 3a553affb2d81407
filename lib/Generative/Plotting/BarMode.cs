namespace Generative.Plotting;

/// <summary>How bars of several traces share a position (plotly.js <c>layout.barmode</c>).</summary>
public enum BarMode
{
    /// <summary>Side by side (plotly.js default, <c>group</c>).</summary>
    Group,

    /// <summary>On top of each other, usually with opacity below 1 (<c>overlay</c>).</summary>
    Overlay,
}
