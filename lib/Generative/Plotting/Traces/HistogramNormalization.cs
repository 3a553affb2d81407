namespace Generative.Plotting;

/// <summary>What a histogram bar's height means (plotly.js <c>histnorm</c>).</summary>
public enum HistogramNormalization
{
    /// <summary>The number of values in the bin (plotly.js default, empty <c>histnorm</c>).</summary>
    Count,

    /// <summary>The fraction of values in the bin; heights sum to 1 (<c>probability</c>).</summary>
    Probability,

    /// <summary>Fraction divided by bin width, so the bars integrate to 1 and compare with a density curve
    /// (<c>probability density</c>).</summary>
    ProbabilityDensity,
}
