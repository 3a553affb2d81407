namespace Generative.Distributions;

/// <summary>
/// A mixture of isotropic Gaussians in the plane: p(x) = sum_c w_c N(x; mu_c, sigma^2 I).
/// Sampling picks a component c with probability w_c, then a point from it; the label of each point is c.
/// </summary>
public sealed class GaussianMixture2D
{
    private readonly (double X, double Y)[] _means;
    private readonly double[] _weights;

    /// <summary>Creates the mixture.</summary>
    /// <param name="means">Component centres mu_c.</param>
    /// <param name="std">sigma, the standard deviation of every coordinate of every component.</param>
    /// <param name="weights">Mixing weights w_c (rescaled to sum to one); null for equal weights.</param>
    /// <exception cref="ArgumentException">No means, a non-finite mean, std not positive, or weights that do not
    /// match the means or are invalid.</exception>
    public GaussianMixture2D(IReadOnlyList<(double X, double Y)> means, double std, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(means);
        if (means.Count == 0)
        {
            throw new ArgumentException("A mixture needs at least one component.", nameof(means));
        }
        if (means.Any(m => !double.IsFinite(m.X) || !double.IsFinite(m.Y)))
        {
            throw new ArgumentException("Every component mean must be finite.", nameof(means));
        }
        if (!(std > 0) || double.IsInfinity(std))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and positive.");
        }
        var w = weights?.ToArray() ?? Enumerable.Repeat(1.0, means.Count).ToArray();
        if (w.Length != means.Count)
        {
            throw new ArgumentException($"{w.Length} weights for {means.Count} components.", nameof(weights));
        }
        var total = Generator.ValidateProbs(w, nameof(weights));
        _weights = w.Select(x => x / total).ToArray();
        _means = means.ToArray();
        Std = std;
    }

    /// <summary>The component centres; a copy.</summary>
    public (double X, double Y)[] Means => ((double X, double Y)[])_means.Clone();

    /// <summary>The per-coordinate standard deviation sigma of every component.</summary>
    public double Std { get; }

    /// <summary>The mixing weights, summing to one; a copy.</summary>
    public double[] Weights => (double[])_weights.Clone();

    /// <summary>The number of components.</summary>
    public int ComponentCount => _means.Length;

    /// <summary>log p(x, y) in nats, by log-sum-exp over the components.</summary>
    public double LogProb(double x, double y)
    {
        Span<double> terms = _means.Length <= 256 ? stackalloc double[_means.Length] : new double[_means.Length];
        var logNormalizer = Math.Log(2 * Math.PI * Std * Std);
        for (var c = 0; c < _means.Length; c++)
        {
            var dx = (x - _means[c].X) / Std;
            var dy = (y - _means[c].Y) / Std;
            terms[c] = Math.Log(_weights[c]) - 0.5 * (dx * dx + dy * dy) - logNormalizer;
        }
        return LogMath.LogSumExp(terms);
    }

    /// <summary><paramref name="count"/> points; <see cref="Points2D.Labels"/> holds each point's component.</summary>
    public Points2D Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        return Points2D.Generate(count, _ =>
        {
            var c = generator.Categorical(_weights);
            var x = generator.Normal(_means[c].X, Std);
            var y = generator.Normal(_means[c].Y, Std);
            return (x, y, c);
        });
    }

    /// <summary>One point from component <paramref name="components"/>[n] for each n, labelled with it: draws of
    /// p(x | c) for given components, e.g. a class's own mode.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A component outside [0, <see cref="ComponentCount"/>).</exception>
    public Points2D SampleComponents(IReadOnlyList<int> components, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(generator);
        for (var n = 0; n < components.Count; n++)
        {
            if ((uint)components[n] >= (uint)_means.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(components), components[n],
                    $"Component {n} is {components[n]}; the mixture has components 0 to {_means.Length - 1}.");
            }
        }
        return Points2D.Generate(components.Count, n =>
        {
            var c = components[n];
            return (generator.Normal(_means[c].X, Std), generator.Normal(_means[c].Y, Std), c);
        });
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"GaussianMixture2D({ComponentCount} components, std: {Std:G6})");
}
