namespace Generative.Distributions;

/// <summary>
/// The univariate Gaussian N(mu, sigma^2):
/// log p(x) = -(x - mu)^2 / (2 sigma^2) - log sigma - (1/2) log(2 pi). Two free parameters.
/// </summary>
/// <remarks>Shaped like <c>torch.distributions.Normal(loc, scale)</c>, named <c>Mean</c> and <c>Std</c> here.</remarks>
public sealed class Normal
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Creates N(<paramref name="mean"/>, <paramref name="std"/>^2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">mean is not finite, or std is not finite and positive.</exception>
    public Normal(double mean, double std)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        }
        if (!(std > 0) || double.IsInfinity(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and positive.");
        }
        Mean = mean;
        Std = std;
    }

    /// <summary>mu.</summary>
    public double Mean { get; }

    /// <summary>sigma.</summary>
    public double Std { get; }

    /// <summary>sigma^2.</summary>
    public double Variance => Std * Std;

    /// <summary>H = (1/2) log(2 pi e sigma^2) in nats.</summary>
    public double Entropy => 0.5 + HalfLogTwoPi + Math.Log(Std);

    /// <summary>log p(x) in nats.</summary>
    public double LogProb(double x)
    {
        var z = (x - Mean) / Std;
        return -0.5 * z * z - Math.Log(Std) - HalfLogTwoPi;
    }

    /// <summary>P(X &lt;= x) = (1/2) erfc(-(x - mu) / (sigma sqrt 2)).</summary>
    public double Cdf(double x) => 0.5 * Erfc(-(x - Mean) / (Std * Math.Sqrt(2)));

    /// <summary>One draw mu + sigma z with z standard normal (bit-identical on every OS).</summary>
    public double Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.Normal(Mean, Std);
    }

    /// <summary><paramref name="count"/> independent draws.</summary>
    public double[] Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = generator.Normal(Mean, Std);
        }
        return samples;
    }

    /// <summary>
    /// KL(p ‖ q) in nats between two Gaussians, in closed form (PyTorch's <c>kl_divergence(p, q)</c>):
    /// log(σ_q / σ_p) + (σ_p² + (μ_p − μ_q)²) / (2 σ_q²) − 1/2. Not symmetric: the order is that of the arguments.
    /// </summary>
    public static double KlDivergence(Normal p, Normal q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var meanGap = p.Mean - q.Mean;
        return Math.Log(q.Std / p.Std) + (p.Variance + meanGap * meanGap) / (2 * q.Variance) - 0.5;
    }

    /// <summary>
    /// Maximum-likelihood fit: mu = (1/N) sum x_i and sigma^2 = (1/N) sum (x_i - mu)^2 (the biased variance,
    /// dividing by N, because that is what maximises the likelihood).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than one value, a non-finite value, or all values equal
    /// (sigma = 0 has no density).</exception>
    public static Normal Fit(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = values.ToArray();
        if (data.Length == 0)
        {
            throw new ArgumentException("Cannot fit a normal to no values.", nameof(values));
        }
        for (var i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i]))
            {
                throw new ArgumentException($"Value [{i}] is {data[i]}; values must be finite.", nameof(values));
            }
        }
        var mean = data.Average();
        var variance = data.Sum(x => (x - mean) * (x - mean)) / data.Length;
        if (!(variance > 0))
        {
            throw new ArgumentException("All values are equal, so the MLE standard deviation is 0 and the density is undefined.", nameof(values));
        }
        return new Normal(mean, Math.Sqrt(variance));
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"Normal(mean: {Mean:G6}, std: {Std:G6})");

    /// <summary>
    /// erfc(x) = 1 - erf(x), to about 1e-15 relative accuracy. .NET has no erf, so: for |x| &lt; 3 the series
    /// erf(x) = (2/sqrt pi) e^(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)), whose terms are all positive (no
    /// cancellation); for x &gt;= 3 the continued fraction erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
    /// which keeps its relative accuracy deep in the tail where 1 - erf(x) would cancel.
    /// </summary>
    internal static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        if (x < 0)
        {
            return 2.0 - Erfc(-x);
        }
        if (x < 3)
        {
            return 1.0 - ErfSeries(x);
        }
        if (x > 27)
        {
            return 0.0; // below the smallest subnormal
        }
        // Evaluate the continued fraction from a fixed depth backwards; 60 levels are ample for x >= 3.
        var tail = 0.0;
        for (var k = 60; k >= 1; k--)
        {
            tail = (k / 2.0) / (x + tail);
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + tail);
    }

    private static double ErfSeries(double x)
    {
        var term = x;
        var sum = x;
        for (var n = 1; n < 200; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }
}
