namespace Generative.Distributions;

/// <summary>Maximum-likelihood fits from counts with an additive (Laplace) pseudo-count alpha per value.</summary>
internal static class Smoothing
{
    /// <summary>Throws unless the smoothing pseudo-count <paramref name="alpha"/> is finite and &gt;= 0.</summary>
    public static void CheckAlpha(double alpha)
    {
        if (!(alpha >= 0) || double.IsInfinity(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The smoothing pseudo-count alpha must be finite and >= 0.");
        }
    }

    /// <summary>
    /// p(x = 1) = (ones + alpha) / (total + 2 alpha). With no observations and no smoothing every value fits the
    /// (empty) data equally well, so the result is then 1/2, which is also what any alpha &gt; 0 gives.
    /// </summary>
    public static double BinaryFrequency(long ones, long total, double alpha) =>
        total + 2 * alpha == 0 ? 0.5 : (ones + alpha) / (total + 2 * alpha);
}
