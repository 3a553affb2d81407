namespace Generative.Distributions;

/// <summary>
/// One variable taking K values 0..K-1 with p(x = k) = probs[k]: log p(x) = log probs[x].
/// K - 1 free parameters (the probabilities sum to one). Bernoulli is the case K = 2.
/// </summary>
/// <remarks>Shaped like <c>torch.distributions.Categorical</c>: from <c>probs</c> (rescaled to sum to one) or
/// with <see cref="FromLogits"/> from unnormalised <c>logits</c>, probs = softmax(logits).</remarks>
public sealed class Categorical
{
    private readonly double[] _probs;
    private readonly double[] _logProbs;

    /// <summary>Creates the distribution from non-negative weights, rescaled to sum to one.</summary>
    /// <exception cref="ArgumentException">Empty, a negative/NaN/infinite entry, or a zero sum.</exception>
    public Categorical(IReadOnlyList<double> probs)
    {
        ArgumentNullException.ThrowIfNull(probs);
        var weights = probs.ToArray();
        var total = Generator.ValidateProbs(weights, nameof(probs));
        _probs = new double[weights.Length];
        _logProbs = new double[weights.Length];
        for (var k = 0; k < weights.Length; k++)
        {
            _probs[k] = weights[k] / total;
            _logProbs[k] = Math.Log(_probs[k]);
        }
    }

    private Categorical(double[] probs, double[] logProbs)
    {
        _probs = probs;
        _logProbs = logProbs;
    }

    /// <summary>Creates the distribution with probs = softmax(<paramref name="logits"/>), i.e.
    /// log probs[k] = logits[k] - log sum_j exp(logits[j]).</summary>
    /// <exception cref="ArgumentException">Empty, a NaN or +infinite entry, or all entries -infinity.</exception>
    public static Categorical FromLogits(IReadOnlyList<double> logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var values = logits.ToArray();
        if (values.Length == 0)
        {
            throw new ArgumentException("Logits must contain at least one entry.", nameof(logits));
        }
        for (var k = 0; k < values.Length; k++)
        {
            if (double.IsNaN(values[k]) || double.IsPositiveInfinity(values[k]))
            {
                throw new ArgumentException($"Logit [{k}] is {values[k]}; logits must be finite or -infinity.", nameof(logits));
            }
        }
        var logNormalizer = LogMath.LogSumExp(values);
        if (double.IsNegativeInfinity(logNormalizer))
        {
            throw new ArgumentException("All logits are -infinity; at least one category must be possible.", nameof(logits));
        }
        var logProbs = values.Select(l => l - logNormalizer).ToArray();
        return new Categorical(logProbs.Select(Math.Exp).ToArray(), logProbs);
    }

    /// <summary>The number of categories K.</summary>
    public int CategoryCount => _probs.Length;

    /// <summary>The number of free parameters, K - 1.</summary>
    public int ParameterCount => _probs.Length - 1;

    /// <summary>p(x = k) for k = 0..K-1; a copy that sums to one.</summary>
    public double[] Probs => (double[])_probs.Clone();

    /// <summary>log p(x = k), the normalised logits; a copy.</summary>
    public double[] Logits => (double[])_logProbs.Clone();

    /// <summary>H = -sum_k p_k log p_k in nats (0 log 0 = 0).</summary>
    public double Entropy => -_probs.Sum(LogMath.XLogX);

    /// <summary>log p(x = <paramref name="value"/>) in nats.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not in 0..K-1.</exception>
    public double LogProb(int value)
    {
        if ((uint)value >= (uint)_probs.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A category must lie in 0..{_probs.Length - 1}.");
        }
        return _logProbs[value];
    }

    /// <summary>One draw k with probability p_k.</summary>
    public int Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.Categorical(_probs);
    }

    /// <summary><paramref name="count"/> independent draws.</summary>
    public int[] Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var samples = new int[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = generator.Categorical(_probs);
        }
        return samples;
    }

    /// <summary>
    /// Maximum-likelihood fit from observed categories: p_k = (count_k + alpha) / (N + K alpha).
    /// alpha = 0 gives the frequencies; alpha = 1 is Laplace smoothing (a uniform Dirichlet prior).
    /// </summary>
    /// <exception cref="ArgumentException">A value outside 0..K-1, K &lt; 1, alpha &lt; 0, or no values with alpha = 0.</exception>
    public static Categorical Fit(IEnumerable<int> values, int categoryCount, double alpha = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(categoryCount);
        Smoothing.CheckAlpha(alpha);
        var counts = new long[categoryCount];
        long total = 0;
        foreach (var value in values)
        {
            if ((uint)value >= (uint)categoryCount)
            {
                throw new ArgumentException($"Value [{total}] is {value}; categories must lie in 0..{categoryCount - 1}.", nameof(values));
            }
            counts[value]++;
            total++;
        }
        if (total == 0 && alpha == 0)
        {
            throw new ArgumentException("Cannot fit a categorical to no observations without smoothing (alpha > 0).", nameof(values));
        }
        return new Categorical(counts.Select(c => c + alpha).ToArray());
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Categorical(probs: [{string.Join(", ", _probs.Select(p => p.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}])";
}
