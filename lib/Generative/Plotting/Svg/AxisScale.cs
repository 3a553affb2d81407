namespace Generative.Plotting;

/// <summary>
/// Maps data values of one axis to pixels, linearly or on log10, and chooses round tick positions.
/// A category axis is a linear axis over category indices whose ticks are the category names.
/// </summary>
internal sealed class AxisScale
{
    private readonly double _min;
    private readonly double _max;
    private readonly IReadOnlyList<string>? _categories;

    /// <summary>Creates a scale from the data range [min, max] (in data units, positive if log) to [pixelAtMin, pixelAtMax].</summary>
    public AxisScale(double min, double max, double pixelAtMin, double pixelAtMax, bool log, IReadOnlyList<string>? categories = null)
    {
        Log = log;
        _min = log ? Math.Log10(min) : min;
        _max = log ? Math.Log10(max) : max;
        PixelAtMin = pixelAtMin;
        PixelAtMax = pixelAtMax;
        _categories = categories;
    }

    public bool Log { get; }

    public double PixelAtMin { get; }

    public double PixelAtMax { get; }

    /// <summary>The range in data units.</summary>
    public (double Min, double Max) Range => Log ? (Math.Pow(10, _min), Math.Pow(10, _max)) : (_min, _max);

    /// <summary>Pixels per data unit (per decade on a log axis), signed.</summary>
    public double PixelsPerUnit => (PixelAtMax - PixelAtMin) / (_max - _min);

    /// <summary>The pixel of <paramref name="value"/>; NaN for values a log axis cannot show.</summary>
    public double ToPixel(double value)
    {
        var t = Log ? (value > 0 ? Math.Log10(value) : double.NaN) : value;
        return PixelAtMin + (t - _min) * PixelsPerUnit;
    }

    /// <summary>Tick positions with their labels, about one per <paramref name="pixelsPerTick"/> pixels.</summary>
    public IReadOnlyList<(double Pixel, string Label)> Ticks(double pixelsPerTick)
    {
        if (_categories is not null)
        {
            return _categories.Select((name, i) => (ToPixel(i), name)).ToArray();
        }
        var target = Math.Max(2, (int)(Math.Abs(PixelAtMax - PixelAtMin) / pixelsPerTick));
        if (Log)
        {
            return LogTicks(target);
        }
        var (ticks, step) = NiceNumbers.Ticks(_min, _max, target);
        return ticks.Select(tick => (ToPixel(tick), SvgFormat.TickLabel(tick, step))).ToArray();
    }

    private (double, string)[] LogTicks(int target)
    {
        // Whole decades when the axis spans several; otherwise 1-2-5 within each decade so there are enough ticks.
        var decades = Enumerable.Range((int)Math.Floor(_min), (int)Math.Ceiling(_max) - (int)Math.Floor(_min) + 1);
        var multipliers = _max - _min >= 3 ? new[] { 1.0 } : new[] { 1.0, 2, 5 };
        var stride = Math.Max(1, (int)Math.Ceiling((_max - _min) / target));
        return decades
            .Where(decade => decade % stride == 0)
            .SelectMany(decade => multipliers.Select(m => m * Math.Pow(10, decade)))
            .Where(value => Math.Log10(value) >= _min - 1e-9 && Math.Log10(value) <= _max + 1e-9)
            .Select(value => (ToPixel(value), SvgFormat.TickLabel(value, value)))
            .ToArray();
    }
}
