namespace Generative.Plotting;

/// <summary>Qualitative colours for traces and classes.</summary>
public static class Palette
{
    /// <summary>
    /// plotly.js's default colour way (the D3 "category10" colours): trace k without a colour gets
    /// <c>Default[k % 10]</c>, in the SVG exactly as in plotly.js.
    /// </summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>The colour of class or trace number <paramref name="index"/>.</summary>
    public static string ColorOf(int index) => Default[((index % Default.Count) + Default.Count) % Default.Count];
}
