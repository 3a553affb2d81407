namespace Generative.Distributions;

/// <summary>
/// A single binary variable x in {0, 1} with p(x = 1) = <see cref="Probs"/>:
/// p(x) = p^x (1 - p)^(1 - x), so log p(x) = x log p + (1 - x) log(1 - p). One free parameter.
/// </summary>
/// <remarks>Named and shaped like <c>torch.distributions.Bernoulli</c>: build it from <c>probs</c> or with
/// <see cref="FromLogits"/> from <c>logits</c> = log(p / (1 - p)).</remarks>
public sealed class Bernoulli
{
    // log p(x = 1) and log p(x = 0), computed once in whichever parameterisation is more accurate.
    private readonly double _logProbOne;
    private readonly double _logProbZero;

    /// <summary>Creates a Bernoulli with p(x = 1) = <paramref name="probs"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probs"/> is outside [0, 1] or NaN.</exception>
    public Bernoulli(double probs)
    {
        if (!(probs >= 0 && probs <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probs), probs, "A Bernoulli probability must lie in [0, 1].");
        }
        Probs = probs;
        _logProbOne = Math.Log(probs);
        _logProbZero = LogMath.Log1P(-probs);
        Logits = _logProbOne - _logProbZero;
    }

    private Bernoulli(double probs, double logits, double logProbOne, double logProbZero)
    {
        Probs = probs;
        Logits = logits;
        _logProbOne = logProbOne;
        _logProbZero = logProbZero;
    }

    /// <summary>Creates a Bernoulli with p(x = 1) = sigmoid(<paramref name="logits"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="logits"/> is NaN.</exception>
    public static Bernoulli FromLogits(double logits)
    {
        if (double.IsNaN(logits))
        {
            throw new ArgumentOutOfRangeException(nameof(logits), logits, "Logits must not be NaN.");
        }
        // log sigmoid(l) and log(1 - sigmoid(l)) = log sigmoid(-l) stay finite where probs would round to 0 or 1.
        return new Bernoulli(LogMath.Sigmoid(logits), logits, LogMath.LogSigmoid(logits), LogMath.LogSigmoid(-logits));
    }

    /// <summary>p(x = 1).</summary>
    public double Probs { get; }

    /// <summary>log(p / (1 - p)), the log-odds of x = 1.</summary>
    public double Logits { get; }

    /// <summary>E[x] = p.</summary>
    public double Mean => Probs;

    /// <summary>Var[x] = p (1 - p).</summary>
    public double Variance => Probs * (1 - Probs);

    /// <summary>H = -p log p - (1 - p) log(1 - p), in nats (0 log 0 = 0).</summary>
    public double Entropy => -LogMath.XLogX(Probs) - LogMath.XLogX(1 - Probs);

    /// <summary>log p(x) in nats for x in {0, 1}.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is not 0 or 1.</exception>
    public double LogProb(int x) => x switch
    {
        1 => _logProbOne,
        0 => _logProbZero,
        _ => throw new ArgumentOutOfRangeException(nameof(x), x, "A Bernoulli value must be 0 or 1."),
    };

    /// <summary>log p(x) in nats, with true meaning 1.</summary>
    public double LogProb(bool x) => x ? _logProbOne : _logProbZero;

    /// <summary>One draw: 1 with probability p, else 0.</summary>
    public int Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.Bernoulli(Probs) ? 1 : 0;
    }

    /// <summary><paramref name="count"/> independent draws.</summary>
    public int[] Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var samples = new int[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = generator.Bernoulli(Probs) ? 1 : 0;
        }
        return samples;
    }

    /// <summary>
    /// Maximum-likelihood fit from 0/1 observations: p = (ones + alpha) / (n + 2 alpha).
    /// With <paramref name="alpha"/> = 0 this is the plain frequency ones / n; alpha = 1 is Laplace smoothing
    /// (a uniform Beta(1, 1) prior, posterior mean), which keeps p away from 0 and 1 on few observations.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not 0 or 1, there are no values and alpha = 0, or alpha is
    /// negative.</exception>
    public static Bernoulli Fit(IEnumerable<int> values, double alpha = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        long ones = 0, count = 0;
        foreach (var value in values)
        {
            if (value is not (0 or 1))
            {
                throw new ArgumentException($"Value [{count}] is {value}; a Bernoulli fit needs 0 or 1.", nameof(values));
            }
            ones += value;
            count++;
        }
        Smoothing.CheckAlpha(alpha);
        if (count == 0 && alpha == 0)
        {
            throw new ArgumentException("Cannot fit a Bernoulli to no observations without smoothing (alpha > 0).", nameof(values));
        }
        return new Bernoulli(Smoothing.BinaryFrequency(ones, count, alpha));
    }

    /// <summary>Maximum-likelihood fit from boolean observations (true = 1); see <see cref="Fit(IEnumerable{int}, double)"/>.</summary>
    public static Bernoulli Fit(IEnumerable<bool> values, double alpha = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Fit(values.Select(v => v ? 1 : 0), alpha);
    }

    /// <inheritdoc />
    public override string ToString() => $"Bernoulli(probs: {Probs.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})";
}
