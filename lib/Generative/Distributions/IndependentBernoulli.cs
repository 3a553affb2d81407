using System.Numerics;

namespace Generative.Distributions;

/// <summary>
/// n independent binary variables, e.g. the pixels of a binarized image flattened in raster order:
/// p(x) = prod_i p_i^(x_i) (1 - p_i)^(1 - x_i), so log p(x) = sum_i [x_i log p_i + (1 - x_i) log(1 - p_i)].
/// n free parameters: one probability per dimension.
/// </summary>
/// <remarks>PyTorch writes this <c>Independent(Bernoulli(probs), 1)</c>: a batch of Bernoullis whose log-probs are
/// summed over the last dimension. It is the "independent pixels" baseline: it can learn where ink usually is,
/// but not that neighbouring pixels go together.</remarks>
public sealed class IndependentBernoulli
{
    private readonly double[] _probs;
    private readonly double[] _logProbOne;
    private readonly double[] _logProbZero;

    /// <summary>Creates the model from one probability p_i = p(x_i = 1) per dimension.</summary>
    /// <exception cref="ArgumentException"><paramref name="probs"/> is empty or has an entry outside [0, 1].</exception>
    public IndependentBernoulli(IReadOnlyList<double> probs)
    {
        ArgumentNullException.ThrowIfNull(probs);
        if (probs.Count == 0)
        {
            throw new ArgumentException("At least one dimension is needed.", nameof(probs));
        }
        _probs = new double[probs.Count];
        _logProbOne = new double[probs.Count];
        _logProbZero = new double[probs.Count];
        for (var i = 0; i < probs.Count; i++)
        {
            var p = probs[i];
            BinaryVectors.CheckProbability(p, nameof(probs), i);
            _probs[i] = p;
            _logProbOne[i] = Math.Log(p);
            _logProbZero[i] = LogMath.Log1P(-p);
        }
    }

    /// <summary>The number of dimensions n (784 for a 28 x 28 image).</summary>
    public int Dimension => _probs.Length;

    /// <summary>The per-dimension probabilities p_i = p(x_i = 1), a copy of length n.</summary>
    public double[] Probs => (double[])_probs.Clone();

    /// <summary>The number of free parameters, n.</summary>
    public int ParameterCount => _probs.Length;

    /// <summary>Entropy in nats: the sum of the per-dimension entropies.</summary>
    public double Entropy => _probs.Sum(p => -LogMath.XLogX(p) - LogMath.XLogX(1 - p));

    /// <summary>log p(x) in nats for one binary vector x of length n (values 0 or 1).</summary>
    /// <exception cref="ArgumentException">x has the wrong length or a value other than 0 and 1.</exception>
    public double LogProb(ReadOnlySpan<byte> x) => LogProbOf(x);

    /// <summary>log p(x) in nats for one binary vector x of length n (values 0 or 1).</summary>
    /// <exception cref="ArgumentException">x has the wrong length or a value other than 0 and 1.</exception>
    public double LogProb(ReadOnlySpan<int> x) => LogProbOf(x);

    /// <summary>One draw: a vector of n values in {0, 1}, dimension i being 1 with probability p_i.</summary>
    public int[] Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var sample = new int[_probs.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = generator.Bernoulli(_probs[i]) ? 1 : 0;
        }
        return sample;
    }

    /// <summary><paramref name="count"/> independent draws, each of length n.</summary>
    public int[][] Sample(int count, Generator generator) => Draws.Repeat(count, () => Sample(generator));

    /// <summary>
    /// Maximum-likelihood fit: p_i = (number of samples with x_i = 1 + alpha) / (N + 2 alpha), per dimension.
    /// Every sample must have the same length n and values in {0, 1} (binarize images first).
    /// </summary>
    /// <exception cref="ArgumentException">No samples, samples of length 0, lengths differ, a value is not 0/1, or
    /// alpha is negative or infinite.</exception>
    public static IndependentBernoulli Fit(IReadOnlyList<byte[]> samples, double alpha = 0)
    {
        var dimension = BinaryVectors.FitDimension(samples, alpha);
        var ones = new long[dimension];
        for (var s = 0; s < samples.Count; s++)
        {
            var sample = BinaryVectors.CheckSample(samples, s, dimension);
            for (var i = 0; i < dimension; i++)
            {
                ones[i] += sample[i];
            }
        }
        var probs = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            probs[i] = Smoothing.BinaryFrequency(ones[i], samples.Count, alpha);
        }
        return new IndependentBernoulli(probs);
    }

    /// <inheritdoc />
    public override string ToString() => $"IndependentBernoulli(dimension: {Dimension})";

    private double LogProbOf<T>(ReadOnlySpan<T> x) where T : INumberBase<T>
    {
        BinaryVectors.CheckLength(x.Length, Dimension);
        var logProb = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            logProb += BinaryVectors.Bit(x[i], i) == 1 ? _logProbOne[i] : _logProbZero[i];
        }
        return logProb;
    }
}
