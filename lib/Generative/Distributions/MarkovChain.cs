using System.Numerics;

namespace Generative.Distributions;

/// <summary>
/// A first-order Markov chain over n binary variables in a fixed order (for images: raster order, row by row):
/// p(x) = p(x_0) prod_{i=1}^{n-1} p(x_i | x_{i-1}), with its own conditional table at every position.
/// Free parameters: 1 for p(x_0 = 1) plus 2 per later position (one per value of the previous pixel): 2n - 1.
/// </summary>
/// <remarks>
/// The smallest step beyond independent pixels: each pixel sees its left neighbour (or, at the start of a row,
/// the last pixel of the row above). Positions are zero-based: position 0 is the first variable.
/// </remarks>
public sealed class MarkovChain
{
    private readonly double[] _probsAfterZero;
    private readonly double[] _probsAfterOne;
    // log-probabilities for fast LogProb: [position, previous, value]; position 0 uses previous = 0.
    private readonly double[,,] _logProbs;

    /// <summary>Creates the chain from its tables.</summary>
    /// <param name="firstProbs">p(x_0 = 1).</param>
    /// <param name="probsAfterZero">Length n - 1: entry i - 1 is p(x_i = 1 | x_{i-1} = 0), for i = 1..n-1.</param>
    /// <param name="probsAfterOne">Length n - 1: entry i - 1 is p(x_i = 1 | x_{i-1} = 1), for i = 1..n-1.</param>
    /// <exception cref="ArgumentException">A probability is outside [0, 1] or the tables' lengths differ.</exception>
    public MarkovChain(double firstProbs, IReadOnlyList<double> probsAfterZero, IReadOnlyList<double> probsAfterOne)
    {
        ArgumentNullException.ThrowIfNull(probsAfterZero);
        ArgumentNullException.ThrowIfNull(probsAfterOne);
        if (probsAfterZero.Count != probsAfterOne.Count)
        {
            throw new ArgumentException($"probsAfterZero has {probsAfterZero.Count} entries but probsAfterOne has {probsAfterOne.Count}; both need n - 1.", nameof(probsAfterOne));
        }
        BinaryVectors.CheckProbability(firstProbs, nameof(firstProbs));
        FirstProbs = firstProbs;
        _probsAfterZero = probsAfterZero.ToArray();
        _probsAfterOne = probsAfterOne.ToArray();
        for (var j = 0; j < _probsAfterZero.Length; j++)
        {
            BinaryVectors.CheckProbability(_probsAfterZero[j], nameof(probsAfterZero), j);
            BinaryVectors.CheckProbability(_probsAfterOne[j], nameof(probsAfterOne), j);
        }

        var n = Dimension;
        _logProbs = new double[n, 2, 2];
        _logProbs[0, 0, 1] = Math.Log(firstProbs);
        _logProbs[0, 0, 0] = LogMath.Log1P(-firstProbs);
        for (var i = 1; i < n; i++)
        {
            _logProbs[i, 0, 1] = Math.Log(_probsAfterZero[i - 1]);
            _logProbs[i, 0, 0] = LogMath.Log1P(-_probsAfterZero[i - 1]);
            _logProbs[i, 1, 1] = Math.Log(_probsAfterOne[i - 1]);
            _logProbs[i, 1, 0] = LogMath.Log1P(-_probsAfterOne[i - 1]);
        }
    }

    /// <summary>The number of variables n.</summary>
    public int Dimension => _probsAfterZero.Length + 1;

    /// <summary>The number of free parameters, 2n - 1.</summary>
    public int ParameterCount => 2 * Dimension - 1;

    /// <summary>p(x_0 = 1).</summary>
    public double FirstProbs { get; }

    /// <summary>Entry i - 1 is p(x_i = 1 | x_{i-1} = 0); a copy of length n - 1.</summary>
    public double[] ProbsAfterZero => (double[])_probsAfterZero.Clone();

    /// <summary>Entry i - 1 is p(x_i = 1 | x_{i-1} = 1); a copy of length n - 1.</summary>
    public double[] ProbsAfterOne => (double[])_probsAfterOne.Clone();

    /// <summary>log p(x) = log p(x_0) + sum_{i >= 1} log p(x_i | x_{i-1}) in nats, for a 0/1 vector of length n.</summary>
    /// <exception cref="ArgumentException">x has the wrong length or a value other than 0 and 1.</exception>
    public double LogProb(ReadOnlySpan<byte> x) => LogProbOf(x);

    /// <summary>log p(x) in nats for a 0/1 vector of length n.</summary>
    /// <exception cref="ArgumentException">x has the wrong length or a value other than 0 and 1.</exception>
    public double LogProb(ReadOnlySpan<int> x) => LogProbOf(x);

    /// <summary>One draw by ancestral sampling: x_0 first, then each x_i given the x_{i-1} just drawn.</summary>
    public int[] Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var sample = new int[Dimension];
        sample[0] = generator.Bernoulli(FirstProbs) ? 1 : 0;
        for (var i = 1; i < sample.Length; i++)
        {
            var p = sample[i - 1] == 1 ? _probsAfterOne[i - 1] : _probsAfterZero[i - 1];
            sample[i] = generator.Bernoulli(p) ? 1 : 0;
        }
        return sample;
    }

    /// <summary><paramref name="count"/> independent draws, each of length n.</summary>
    public int[][] Sample(int count, Generator generator) => Draws.Repeat(count, () => Sample(generator));

    /// <summary>
    /// Maximum-likelihood fit from counts: p(x_0 = 1) = (#x_0 = 1 + alpha) / (N + 2 alpha) and
    /// p(x_i = 1 | x_{i-1} = v) = (#(x_{i-1} = v, x_i = 1) + alpha) / (#(x_{i-1} = v) + 2 alpha).
    /// A context never seen in the data (e.g. a pixel that is never on, followed by another) has no MLE: every
    /// value gives the data the same likelihood. The fit then uses 1/2, which is also what any alpha &gt; 0 gives.
    /// </summary>
    /// <exception cref="ArgumentException">No samples, lengths differ, a value is not 0/1, or n &lt; 1.</exception>
    public static MarkovChain Fit(IReadOnlyList<byte[]> samples, double alpha = 0)
    {
        var n = BinaryVectors.FitDimension(samples, alpha);
        long firstOnes = 0;
        // counts[i, previous, value] for positions i = 1..n-1
        var counts = new long[n, 2, 2];
        for (var s = 0; s < samples.Count; s++)
        {
            var sample = BinaryVectors.CheckSample(samples, s, n);
            firstOnes += sample[0];
            for (var i = 1; i < n; i++)
            {
                counts[i, sample[i - 1], sample[i]]++;
            }
        }
        var afterZero = new double[n - 1];
        var afterOne = new double[n - 1];
        for (var i = 1; i < n; i++)
        {
            afterZero[i - 1] = Smoothing.BinaryFrequency(counts[i, 0, 1], counts[i, 0, 0] + counts[i, 0, 1], alpha);
            afterOne[i - 1] = Smoothing.BinaryFrequency(counts[i, 1, 1], counts[i, 1, 0] + counts[i, 1, 1], alpha);
        }
        return new MarkovChain(Smoothing.BinaryFrequency(firstOnes, samples.Count, alpha), afterZero, afterOne);
    }

    /// <inheritdoc />
    public override string ToString() => $"MarkovChain(dimension: {Dimension}, parameters: {ParameterCount})";

    private double LogProbOf<T>(ReadOnlySpan<T> x) where T : INumberBase<T>
    {
        BinaryVectors.CheckLength(x.Length, Dimension);
        var logProb = 0.0;
        var previous = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var value = BinaryVectors.Bit(x[i], i);
            logProb += _logProbs[i, previous, value];
            previous = value;
        }
        return logProb;
    }
}
