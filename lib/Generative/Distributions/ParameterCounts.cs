using System.Globalization;
using System.Numerics;

namespace Generative.Distributions;

/// <summary>
/// How many free parameters a model of n discrete variables needs, each variable taking k values (k = 2: binary
/// pixels). "Free" means after the sum-to-one constraints: a distribution over k values has k - 1.
/// The counts for the full joint grow like k^n, astronomically for an image (2^784 - 1 has 237 digits), so those
/// are <see cref="BigInteger"/>; <see cref="Format"/> prints any count readably.
/// </summary>
public static class ParameterCounts
{
    /// <summary>A table of p(x_1, ..., x_n) with one entry per configuration: k^n - 1.</summary>
    public static BigInteger FullJoint(int n, int k = 2)
    {
        Validate(n, k);
        return BigInteger.Pow(k, n) - 1;
    }

    /// <summary>
    /// The chain rule p(x) = prod_i p(x_i | x_1..x_{i-1}) with a full table per conditional:
    /// sum_{i=1}^{n} k^(i-1) (k - 1) = k^n - 1, exactly <see cref="FullJoint"/>: the chain rule only rewrites the
    /// joint, it does not simplify it.
    /// </summary>
    public static BigInteger ChainRule(int n, int k = 2)
    {
        Validate(n, k);
        BigInteger total = 0;
        for (var i = 1; i <= n; i++)
        {
            total += BigInteger.Pow(k, i - 1) * (k - 1);
        }
        return total;
    }

    /// <summary>Independent variables p(x) = prod_i p(x_i): n (k - 1).</summary>
    public static long Independent(int n, int k = 2)
    {
        Validate(n, k);
        return (long)n * (k - 1);
    }

    /// <summary>
    /// A first-order Markov chain p(x_1) prod_{i>=2} p(x_i | x_{i-1}) with a separate table per position:
    /// (k - 1) + (n - 1) k (k - 1); for binary variables 1 + 2(n - 1) = 2n - 1.
    /// </summary>
    public static long Markov(int n, int k = 2)
    {
        Validate(n, k);
        return (k - 1) + (long)(n - 1) * k * (k - 1);
    }

    /// <summary>
    /// A fully visible sigmoid belief network over binary variables: p(x_i = 1 | x_&lt;i) = sigmoid(b_i + sum_{j&lt;i} w_ij x_j),
    /// i.e. one bias and i - 1 weights for variable i: sum_{i=1}^{n} i = n(n + 1)/2 (307,720 for 784 pixels).
    /// </summary>
    public static long Fvsbn(int n)
    {
        Validate(n, 2);
        return (long)n * (n + 1) / 2;
    }

    /// <summary>log10 of k^n - 1, for plotting counts too large for a double (2^784 overflows nothing, 2^2000 does).</summary>
    public static double Log10FullJoint(int n, int k = 2)
    {
        Validate(n, k);
        // log10(k^n - 1) = n log10 k + log10(1 - k^-n); the correction matters only for tiny n.
        return n * Math.Log10(k) + Math.Log10(1 - Math.Pow(k, -n));
    }

    /// <summary>
    /// A readable count: digits with thousands separators up to 15 digits ("307,720"), else scientific notation
    /// with the digit count ("1.02e236 (237 digits)"). Invariant culture, so outputs match on every machine.
    /// </summary>
    public static string Format(BigInteger count)
    {
        var digits = BigInteger.Abs(count).ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= 15)
        {
            return count.ToString("N0", CultureInfo.InvariantCulture);
        }
        var sign = count.Sign < 0 ? "-" : "";
        // Round the leading three digits half up by looking at the fourth.
        var mantissa = int.Parse(digits[..3], CultureInfo.InvariantCulture);
        var exponent = digits.Length - 1;
        if (digits[3] >= '5')
        {
            mantissa++;
            if (mantissa == 1000)
            {
                mantissa = 100;
                exponent++;
            }
        }
        var mantissaText = $"{mantissa / 100}.{mantissa % 100:D2}";
        return $"{sign}{mantissaText}e{exponent} ({digits.Length} digits)";
    }

    private static void Validate(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
    }
}
