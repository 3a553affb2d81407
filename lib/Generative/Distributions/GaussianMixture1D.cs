namespace Generative.Distributions;

/// <summary>
/// A mixture of Gaussians on the line, the simplest latent variable model: a hidden component z ~ Categorical(π)
/// picks a Gaussian, and x | z = k ~ N(μ_k, σ_k²). Its marginal is p(x) = Σ_k π_k N(x; μ_k, σ_k²) and its posterior
/// p(z = k | x) = π_k N(x; μ_k, σ_k²) / p(x), the <see cref="Responsibilities"/>.
/// </summary>
/// <remarks><see cref="FitEm"/> fits one by expectation-maximisation (Dempster, Laird and Rubin 1977): the E-step
/// computes every point's responsibilities with the current parameters, the M-step refits each component to the
/// points weighted by them. Each iteration never lowers the log-likelihood.</remarks>
public sealed class GaussianMixture1D
{
    private readonly double[] _weights;
    private readonly Normal[] _components;

    /// <summary>Creates the mixture Σ_k π_k N(μ_k, σ_k²).</summary>
    /// <param name="weights">π_k ≥ 0, not all zero (rescaled to sum to one).</param>
    /// <param name="means">μ_k, finite; as many as the weights.</param>
    /// <param name="stds">σ_k, finite and positive; as many as the weights.</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a value is out of range; the
    /// message names the component.</exception>
    public GaussianMixture1D(IReadOnlyList<double> weights, IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        if (weights.Count == 0 || means.Count != weights.Count || stds.Count != weights.Count)
        {
            throw new ArgumentException(
                $"GaussianMixture1D: needs as many weights, means and stds, at least one each; got {weights.Count}, {means.Count} and {stds.Count}.", nameof(weights));
        }
        var total = Generator.ValidateProbs(weights.ToArray(), nameof(weights));
        for (var k = 0; k < weights.Count; k++)
        {
            if (!double.IsFinite(means[k])) throw new ArgumentException($"GaussianMixture1D: mean {k} is {means[k]}; it must be finite.", nameof(means));
            if (!(stds[k] > 0) || double.IsInfinity(stds[k])) throw new ArgumentException($"GaussianMixture1D: std {k} is {stds[k]}; it must be finite and positive.", nameof(stds));
        }
        _weights = weights.Select(w => w / total).ToArray();
        _components = Enumerable.Range(0, weights.Count).Select(k => new Normal(means[k], stds[k])).ToArray();
    }

    /// <summary>The number of components K.</summary>
    public int ComponentCount => _weights.Length;

    /// <summary>π_k, summing to one; a copy.</summary>
    public double[] Weights => (double[])_weights.Clone();

    /// <summary>μ_k; a copy.</summary>
    public double[] Means => _components.Select(component => component.Mean).ToArray();

    /// <summary>σ_k; a copy.</summary>
    public double[] Stds => _components.Select(component => component.Std).ToArray();

    /// <summary>Free parameters: K − 1 weights, K means and K standard deviations.</summary>
    public int ParameterCount => 3 * ComponentCount - 1;

    /// <summary>log p(x, z = k) = log π_k + log N(x; μ_k, σ_k²) for every k, into <paramref name="destination"/>.</summary>
    private void JointLogProbs(double x, Span<double> destination)
    {
        for (var k = 0; k < _weights.Length; k++)
        {
            destination[k] = Math.Log(_weights[k]) + _components[k].LogProb(x);
        }
    }

    /// <summary>log p(x) = log Σ_k π_k N(x; μ_k, σ_k²), by log-sum-exp (no underflow far from every component).</summary>
    public double LogProb(double x)
    {
        Span<double> joint = stackalloc double[_weights.Length];
        JointLogProbs(x, joint);
        return LogMath.LogSumExp(joint);
    }

    /// <summary>The posterior over the hidden component, p(z = k | x) = π_k N(x; μ_k, σ_k²) / p(x), for every k.</summary>
    public double[] Responsibilities(double x)
    {
        var joint = new double[_weights.Length];
        JointLogProbs(x, joint);
        var logEvidence = LogMath.LogSumExp(joint);
        return joint.Select(logJoint => Math.Exp(logJoint - logEvidence)).ToArray();
    }

    /// <summary>Ancestral sampling: z ~ Categorical(π), then x ~ N(μ_z, σ_z²). Returns the points and their components.</summary>
    public (double[] Values, int[] Components) Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var values = new double[count];
        var components = new int[count];
        for (var i = 0; i < count; i++)
        {
            var k = generator.Categorical(_weights);
            components[i] = k;
            values[i] = _components[k].Sample(generator);
        }
        return (values, components);
    }

    /// <summary>The mean log-likelihood (1/N) Σ_i log p(x_i) of <paramref name="values"/>.</summary>
    public double MeanLogLikelihood(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count == 0 ? throw new ArgumentException("MeanLogLikelihood: no values.", nameof(values)) : values.Average(LogProb);
    }

    /// <summary>
    /// Fits a mixture to <paramref name="values"/> by <paramref name="iterations"/> EM steps from <paramref name="initial"/>.
    /// E-step: r_ik = p(z = k | x_i). M-step: N_k = Σ_i r_ik, π_k = N_k / N, μ_k = Σ_i r_ik x_i / N_k,
    /// σ_k² = Σ_i r_ik (x_i − μ_k)² / N_k (floored at <paramref name="minStd"/>², so that a component collapsing onto
    /// one point, where the likelihood is unbounded, stays a density).
    /// </summary>
    /// <returns>Every iterate's mixture, from <paramref name="initial"/> to the last, for plotting the run; the mean
    /// log-likelihood of each is <see cref="MeanLogLikelihood"/>.</returns>
    /// <exception cref="ArgumentException">No values, a non-finite value, or a component whose responsibilities all
    /// vanish (it would have no data to fit).</exception>
    public static IReadOnlyList<GaussianMixture1D> FitEm(IReadOnlyList<double> values, GaussianMixture1D initial, int iterations, double minStd = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        if (!(minStd > 0)) throw new ArgumentOutOfRangeException(nameof(minStd), minStd, "FitEm: minStd must be positive.");
        if (values.Count == 0) throw new ArgumentException("FitEm: no values to fit.", nameof(values));
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i])) throw new ArgumentException($"FitEm: value {i} is {values[i]}; every value must be finite.", nameof(values));
        }
        var iterates = new List<GaussianMixture1D>(iterations + 1) { initial };
        var k = initial.ComponentCount;
        var current = initial;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var counts = new double[k];
            var sums = new double[k];
            var responsibilities = values.Select(current.Responsibilities).ToArray();
            for (var i = 0; i < values.Count; i++)
            {
                for (var c = 0; c < k; c++)
                {
                    counts[c] += responsibilities[i][c];
                    sums[c] += responsibilities[i][c] * values[i];
                }
            }
            var means = new double[k];
            var stds = new double[k];
            for (var c = 0; c < k; c++)
            {
                if (!(counts[c] > 0))
                {
                    throw new ArgumentException($"FitEm: component {c} has no responsibility for any value at iteration {iteration + 1}; start it nearer the data.", nameof(initial));
                }
                means[c] = sums[c] / counts[c];
                var squares = 0.0;
                for (var i = 0; i < values.Count; i++)
                {
                    var gap = values[i] - means[c];
                    squares += responsibilities[i][c] * gap * gap;
                }
                stds[c] = Math.Max(Math.Sqrt(squares / counts[c]), minStd);
            }
            current = new GaussianMixture1D(counts.Select(count => count / values.Count).ToArray(), means, stds);
            iterates.Add(current);
        }
        return iterates;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"GaussianMixture1D({string.Join(", ", Enumerable.Range(0, ComponentCount).Select(k => $"{_weights[k]:G4} N({_components[k].Mean:G4}, {_components[k].Std:G4}²)"))})");
}
