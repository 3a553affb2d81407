using System.Numerics;

namespace Generative.Distributions;

/// <summary>
/// Checks and loops shared by the models of binary vectors (<see cref="IndependentBernoulli"/>,
/// <see cref="MarkovChain"/>): a vector x of length n with every x_i in {0, 1}.
/// </summary>
internal static class BinaryVectors
{
    /// <summary>Throws unless <paramref name="p"/> lies in [0, 1] (NaN does not); <paramref name="index"/> &lt; 0
    /// means a single probability rather than a table entry.</summary>
    public static void CheckProbability(double p, string argumentName, int index = -1)
    {
        if (!(p >= 0 && p <= 1))
        {
            var where = index < 0 ? "" : $" [{index}]";
            throw new ArgumentException($"Probability{where} is {p}; it must lie in [0, 1].", argumentName);
        }
    }

    /// <summary>Throws unless the vector <c>x</c> has length <paramref name="dimension"/>.</summary>
    public static void CheckLength(int length, int dimension)
    {
        if (length != dimension)
        {
            throw new ArgumentException($"Expected a vector of length {dimension}, got {length}.", "x");
        }
    }

    /// <summary>Entry <paramref name="index"/> of the vector <c>x</c> as 0 or 1; throws for any other value.</summary>
    public static int Bit<T>(T value, int index) where T : INumberBase<T>
    {
        if (T.IsZero(value))
        {
            return 0;
        }
        if (value == T.One)
        {
            return 1;
        }
        throw new ArgumentException($"Value {value} at [{index}]; values must be 0 or 1.", "x");
    }

    /// <summary>
    /// The common checks of a maximum-likelihood fit: at least one sample, a valid smoothing pseudo-count, and
    /// samples of at least one value. Returns n, the length of sample [0]; check each sample with
    /// <see cref="CheckSample"/> while counting.
    /// </summary>
    public static int FitDimension(IReadOnlyList<byte[]> samples, double alpha)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("Cannot fit to zero samples: the dimension is unknown.", nameof(samples));
        }
        Smoothing.CheckAlpha(alpha);
        var dimension = samples[0].Length;
        if (dimension == 0)
        {
            throw new ArgumentException("Samples must have at least one value.", nameof(samples));
        }
        return dimension;
    }

    /// <summary>Sample [<paramref name="s"/>] of a fit, after checking its length and that its values are 0 or 1.</summary>
    public static byte[] CheckSample(IReadOnlyList<byte[]> samples, int s, int dimension)
    {
        var sample = samples[s];
        if (sample.Length != dimension)
        {
            throw new ArgumentException($"Sample [{s}] has length {sample.Length}, but sample [0] has {dimension}.", nameof(samples));
        }
        for (var i = 0; i < dimension; i++)
        {
            if (sample[i] > 1)
            {
                throw new ArgumentException($"Sample [{s}] has value {sample[i]} at [{i}]; binarize first (values must be 0 or 1).", nameof(samples));
            }
        }
        return sample;
    }
}
