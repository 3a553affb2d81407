namespace Generative.Plotting;

/// <summary>Round numbers for tick spacing and contour levels: 1, 2 or 5 times a power of ten.</summary>
internal static class NiceNumbers
{
    /// <summary>The round step nearest (on a log scale) to <paramref name="roughStep"/>.</summary>
    public static double Step(double roughStep)
    {
        if (!(roughStep > 0) || !double.IsFinite(roughStep))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(roughStep)));
        var fraction = roughStep / power;
        var nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * power;
    }

    /// <summary>
    /// Multiples of a round step inside [<paramref name="min"/>, <paramref name="max"/>], about
    /// <paramref name="targetCount"/> of them. Values are snapped to the step's decimals so labels print cleanly.
    /// </summary>
    public static (double[] Ticks, double Step) Ticks(double min, double max, int targetCount)
    {
        var step = Step((max - min) / Math.Max(1, targetCount));
        var decimals = Decimals(step);
        var first = Math.Ceiling(min / step - 1e-9);
        var ticks = new List<double>();
        for (var k = first; k * step <= max + step * 1e-9; k++)
        {
            ticks.Add(Math.Round(k * step, decimals));
        }
        return (ticks.ToArray(), step);
    }

    /// <summary>How many decimals a multiple of <paramref name="step"/> needs, between 0 and 15.</summary>
    public static int Decimals(double step) => Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 15);
}
