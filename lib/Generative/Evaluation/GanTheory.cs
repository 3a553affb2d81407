namespace Generative.Evaluation;

/// <summary>
/// The GAN game's theory for densities on the line, by quadrature (Goodfellow et al. 2014, section 4): the optimal
/// discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)) for a fixed generator, the value of the game against it,
/// C(G) = V(D*, G) = −log 4 + 2 JSD(p_data ‖ p_g), and the Jensen–Shannon divergence itself.
/// </summary>
/// <remarks>Integrals use the trapezoid rule on [from, to] with the given number of intervals; both densities should be
/// negligible outside it. Terms follow 0 log 0 = 0, so densities with disjoint supports are handled.</remarks>
public static class GanTheory
{
    /// <summary>D*(x) = p_data(x) / (p_data(x) + p_g(x)), the discriminator that maximises V(D, G) pointwise.</summary>
    /// <param name="dataDensity">p_data(x) ≥ 0.</param>
    /// <param name="modelDensity">p_g(x) ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A density is negative or not finite, or both are 0 (then no
    /// example ever reaches D at x and any value is optimal).</exception>
    public static double OptimalDiscriminator(double dataDensity, double modelDensity)
    {
        RequireDensity(dataDensity, nameof(dataDensity));
        RequireDensity(modelDensity, nameof(modelDensity));
        if (dataDensity + modelDensity == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modelDensity), "D* is undefined where both densities are 0.");
        }
        return dataDensity / (dataDensity + modelDensity);
    }

    /// <summary>C(G) = V(D*, G) = ∫ p_data log D* + p_g log(1 − D*) dx, the value of the game when D plays its best.</summary>
    public static double GameValue(Func<double, double> dataDensity, Func<double, double> modelDensity, double from, double to,
        int intervals = 30_000) =>
        Integrate(x =>
        {
            var (p, q) = (Density(dataDensity, x, nameof(dataDensity)), Density(modelDensity, x, nameof(modelDensity)));
            return XLogRatio(p, p + q) + XLogRatio(q, p + q);
        }, from, to, intervals);

    /// <summary>JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m) with m = (p + q) / 2, in nats: 0 when p = q, log 2 when their
    /// supports are disjoint.</summary>
    public static double JensenShannon(Func<double, double> p, Func<double, double> q, double from, double to, int intervals = 30_000) =>
        Integrate(x =>
        {
            var (a, b) = (Density(p, x, nameof(p)), Density(q, x, nameof(q)));
            var m = (a + b) / 2;
            return 0.5 * XLogRatio(a, m) + 0.5 * XLogRatio(b, m);
        }, from, to, intervals);

    private static double Integrate(Func<double, double> f, double from, double to, int intervals)
    {
        if (!double.IsFinite(from) || !double.IsFinite(to) || !(from < to))
        {
            throw new ArgumentOutOfRangeException(nameof(to), $"The interval [{from}, {to}] must be finite with from < to.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        var step = (to - from) / intervals;
        var sum = 0.5 * (f(from) + f(to));
        for (var i = 1; i < intervals; i++)
        {
            sum += f(from + i * step);
        }
        return sum * step;
    }

    // a log(a / b), with 0 log 0 = 0.
    private static double XLogRatio(double a, double b) => a > 0 ? a * Math.Log(a / b) : 0;

    private static double Density(Func<double, double> density, double x, string name)
    {
        var value = density(x);
        RequireDensity(value, name, x);
        return value;
    }

    private static void RequireDensity(double value, string name, double? x = null)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value,
                x is null ? "A density must be finite and non-negative." : FormattableString.Invariant($"The density at x = {x:G6} must be finite and non-negative."));
        }
    }
}
