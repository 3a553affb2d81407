namespace Generative.Distributions;

/// <summary>Numerically careful building blocks for log-probabilities (all in nats).</summary>
internal static class LogMath
{
    /// <summary>log(1 + x), accurate for tiny x where 1 + x would round to 1.</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        // Goldberg's trick: log(u) / (u - 1) corrects for the rounding error made in forming u.
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>softplus(x) = log(1 + e^x), without overflow for large x.</summary>
    public static double Softplus(double x) =>
        x > 0 ? x + Log1P(Math.Exp(-x)) : Log1P(Math.Exp(x));

    /// <summary>log sigmoid(x) = -softplus(-x).</summary>
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>sigmoid(x) = 1 / (1 + e^-x), evaluated so that neither branch overflows.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-x));
        }
        var e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>log sum_k exp(values[k]), shifted by the maximum so no term overflows.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }
        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max))
        {
            return max;
        }
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }
        return max + Math.Log(sum);
    }

    /// <summary>p log p with the limit 0 log 0 = 0 (used by entropies).</summary>
    public static double XLogX(double p) => p == 0 ? 0 : p * Math.Log(p);
}
