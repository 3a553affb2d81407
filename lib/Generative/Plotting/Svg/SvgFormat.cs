using System.Globalization;

namespace Generative.Plotting;

/// <summary>Number and label formatting for the SVG: fixed precision and the invariant culture, so output is byte-stable.</summary>
internal static class SvgFormat
{
    /// <summary>A pixel coordinate with at most two decimals; never "-0".</summary>
    public static string Num(double value)
    {
        var rounded = Math.Round(value, 2);
        if (rounded == 0)
        {
            rounded = 0; // turns -0 into 0
        }
        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>A tick label for <paramref name="value"/> on an axis whose ticks are <paramref name="step"/> apart.</summary>
    public static string TickLabel(double value, double step)
    {
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-4))
        {
            return value.ToString("0.##E+0", CultureInfo.InvariantCulture);
        }
        if (value == 0)
        {
            return "0";
        }
        return value.ToString("F" + NiceNumbers.Decimals(step), CultureInfo.InvariantCulture);
    }

    /// <summary>Rough width in pixels of <paramref name="text"/> in the sans-serif font at <paramref name="fontSize"/>,
    /// enough to reserve margins without measuring glyphs.</summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.58;
}
