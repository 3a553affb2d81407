namespace Generative.Plotting;

/// <summary>
/// Equal-width bins <c>[Start + k Size, Start + (k+1) Size)</c>, the last one closed, and the count of values in each.
/// </summary>
/// <remarks>Computed here rather than left to plotly.js so the static SVG and the interactive plot show the same bars.</remarks>
internal sealed record HistogramBins(double Start, double Size, int[] Counts)
{
    /// <summary>The right edge of the last bin.</summary>
    public double End => Start + Size * Counts.Length;

    /// <summary>Counts the finite values of <paramref name="values"/> into <paramref name="binCount"/> bins spanning their range.</summary>
    public static HistogramBins FromCount(IReadOnlyList<double> values, int binCount)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        var min = finite.Length == 0 ? 0 : finite.Min();
        var max = finite.Length == 0 ? 1 : finite.Max();
        if (max == min)
        {
            // A single distinct value still deserves a visible bar, centred on it.
            min -= 0.5;
            max += 0.5;
        }
        return FromEdges(finite, min, max, (max - min) / binCount);
    }

    /// <summary>Counts values into bins of width <paramref name="size"/> from <paramref name="start"/> to <paramref name="end"/>;
    /// values outside are left out.</summary>
    public static HistogramBins FromEdges(IReadOnlyList<double> values, double start, double end, double size)
    {
        if (!(size > 0) || !(end > start))
        {
            throw new ArgumentException($"Histogram bins need start < end and size > 0, got start {start}, end {end}, size {size}.");
        }
        var binCount = Math.Max(1, (int)Math.Ceiling((end - start) / size - 1e-9));
        var counts = new int[binCount];
        foreach (var value in values)
        {
            if (!double.IsFinite(value) || value < start || value > start + size * binCount)
            {
                continue;
            }
            var bin = Math.Min((int)Math.Floor((value - start) / size), binCount - 1);
            counts[bin]++;
        }
        return new HistogramBins(start, size, counts);
    }

    /// <summary>The bar heights under <paramref name="normalization"/>.</summary>
    public double[] Heights(HistogramNormalization normalization)
    {
        double total = Counts.Sum();
        return normalization switch
        {
            HistogramNormalization.Count => Counts.Select(count => (double)count).ToArray(),
            HistogramNormalization.Probability => Counts.Select(count => total == 0 ? 0 : count / total).ToArray(),
            _ => Counts.Select(count => total == 0 ? 0 : count / total / Size).ToArray(),
        };
    }
}
