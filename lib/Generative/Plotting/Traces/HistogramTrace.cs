using System.Text.Json;

namespace Generative.Plotting;

/// <summary>The distribution of a sample as bars over equal-width bins: plotly.js trace type <c>histogram</c>.</summary>
public sealed class HistogramTrace : Trace
{
    /// <summary>Creates a histogram of <paramref name="values"/> with <paramref name="binCount"/> bins over their range.</summary>
    public HistogramTrace(IEnumerable<double> values, int binCount = 30)
    {
        Values = values?.ToArray() ?? throw new ArgumentNullException(nameof(values));
        if (binCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(binCount), binCount, "A histogram needs at least one bin.");
        }
        BinCount = binCount;
    }

    /// <inheritdoc/>
    public override string Type => "histogram";

    /// <summary>The sample; non-finite values are ignored.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>How many bins span the data when no explicit bins are set (plotly.js <c>nbinsx</c>).</summary>
    public int BinCount { get; set; }

    /// <summary>Explicit bins <c>(start, end, size)</c> (plotly.js <c>xbins</c>); null spreads <see cref="BinCount"/> over the data.</summary>
    public (double Start, double End, double Size)? Bins { get; set; }

    /// <summary>Counts, probabilities or a density.</summary>
    public HistogramNormalization Normalization { get; set; }

    /// <summary>CSS colour of the bars; null takes the trace's palette colour.</summary>
    public string? Color { get; set; }

    /// <summary>Bar opacity in [0, 1]; 0.6 lets overlaid histograms show through each other.</summary>
    public double Opacity { get; set; } = 1;

    /// <summary>The bins and counts drawn, identical in the SVG and in plotly.js.</summary>
    internal HistogramBins ComputeBins() => Bins is { } bins
        ? HistogramBins.FromEdges(Values, bins.Start, bins.End, bins.Size)
        : HistogramBins.FromCount(Values, BinCount);

    private protected override void WriteProperties(Utf8JsonWriter json)
    {
        JsonValues.WriteNumbers(json, "x", Values);
        if (Bins is null)
        {
            json.WriteNumber("nbinsx", BinCount);
        }
        var bins = ComputeBins();
        json.WriteStartObject("xbins");
        json.WriteNumber("start", bins.Start);
        json.WriteNumber("end", bins.End);
        json.WriteNumber("size", bins.Size);
        json.WriteEndObject();
        if (Normalization != HistogramNormalization.Count)
        {
            json.WriteString("histnorm", Normalization == HistogramNormalization.Probability ? "probability" : "probability density");
        }
        if (Color is not null)
        {
            json.WriteStartObject("marker");
            json.WriteString("color", Color);
            json.WriteEndObject();
        }
        if (Opacity < 1)
        {
            json.WriteNumber("opacity", Opacity);
        }
    }

    internal override string Describe() => $"{base.Describe()} of {Values.Count} values";
}
