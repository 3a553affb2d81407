using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// RNADE, the real-valued NADE (Uria, Murray and Larochelle 2013, "RNADE: The real-valued neural autoregressive
/// density-estimator", https://arxiv.org/abs/1306.0186), for vectors x ∈ ℝ^D: NADE's shared hidden layer, with each
/// conditional a mixture of K Gaussians instead of a Bernoulli.
/// </summary>
/// <remarks>
/// <para>Factorisation, in the order <see cref="Ordering"/> (o_1, ..., o_D), writing x_&lt;d for x_{o_1}, ..., x_{o_{d−1}}:</para>
/// <code>
/// p(x) = Π_d p(x_{o_d} | x_&lt;d),   p(x_{o_d} | x_&lt;d) = Σ_k π_dk N(x_{o_d}; μ_dk, σ_dk²),   h_d = σ(c + W[:, &lt;d] x_&lt;d)
/// π_d = softmax(V^π_d h_d + b^π_d),   μ_d = V^μ_d h_d + b^μ_d,   log σ_d = V^σ_d h_d + b^σ_d
/// </code>
/// <para>
/// As in <see cref="Nade"/>, every conditional shares W (H, D) and c (H); column d of W belongs to the d-th variable
/// of the ordering. Each conditional has its own output weights, (K, H) for the mixing logits, the means and the
/// log standard deviations. The paper also scales each pre-activation by a learned ρ_d; this version leaves it out.
/// All D hidden layers come from one masked product, so training costs O(D² H) per example, fine for the small D
/// this model is shown on.
/// </para>
/// </remarks>
public sealed class Rnade : DensityModel
{
    private static readonly float HalfLogTwoPi = (float)(0.5 * Math.Log(2 * Math.PI));

    // Strictly lower triangular (D, D): row d keeps the variables before position d of the ordering.
    private readonly Tensor _earlier;
    private readonly int[] _ordering;

    /// <summary>Creates the model with W and the output weights drawn uniformly from ±1/√fan-in (as
    /// <see cref="Linear"/>), zero biases except the means', drawn uniformly from [−1, 1] so the K components start
    /// apart.</summary>
    /// <param name="dimensions">D, the length of each vector.</param>
    /// <param name="hiddenUnits">H, the size of the shared hidden layer.</param>
    /// <param name="components">K, the number of Gaussians in each conditional.</param>
    /// <param name="ordering">The order in which the variables are modelled, a permutation of 0 … D − 1 (ordering[d]
    /// is the variable modelled d-th); the natural order 0, 1, …, D − 1 when null.</param>
    /// <param name="generator">Source of the initial values; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Rnade(int dimensions, int hiddenUnits, int components, int[]? ordering = null, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenUnits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        ordering ??= Enumerable.Range(0, dimensions).ToArray();
        if (ordering.Length != dimensions || ordering.Order().Where((value, index) => value != index).Any())
        {
            throw new ArgumentException($"Rnade: the ordering [{string.Join(", ", ordering)}] must be a permutation of 0 … {dimensions - 1}.", nameof(ordering));
        }
        generator ??= Init.DefaultGenerator;
        Dimensions = dimensions;
        HiddenUnits = hiddenUnits;
        Components = components;
        _ordering = (int[])ordering.Clone();
        var inputBound = 1 / Math.Sqrt(dimensions);
        var hiddenBound = 1 / Math.Sqrt(hiddenUnits);
        Tensor OutputWeight() => Parameter(Init.Uniform(Tensor.Zeros(dimensions, components, hiddenUnits), -hiddenBound, hiddenBound, generator));
        Weight = Parameter(Init.Uniform(Tensor.Zeros(hiddenUnits, dimensions), -inputBound, inputBound, generator));
        HiddenBias = Parameter(Tensor.Zeros(hiddenUnits));
        MixingWeight = OutputWeight();
        MixingBias = Parameter(Tensor.Zeros(dimensions, components));
        MeanWeight = OutputWeight();
        MeanBias = Parameter(Init.Uniform(Tensor.Zeros(dimensions, components), -1, 1, generator));
        LogStdWeight = OutputWeight();
        LogStdBias = Parameter(Tensor.Zeros(dimensions, components));
        _earlier = MaskedLinear.StrictlyLowerTriangle(dimensions);
    }

    /// <summary>W, shape (H, D): column d multiplies the variable modelled d-th.</summary>
    public Tensor Weight { get; }

    /// <summary>c, shape (H).</summary>
    public Tensor HiddenBias { get; }

    /// <summary>V^π, shape (D, K, H): the mixing logits' weights of each conditional (in the order of modelling).</summary>
    public Tensor MixingWeight { get; }

    /// <summary>b^π, shape (D, K).</summary>
    public Tensor MixingBias { get; }

    /// <summary>V^μ, shape (D, K, H).</summary>
    public Tensor MeanWeight { get; }

    /// <summary>b^μ, shape (D, K).</summary>
    public Tensor MeanBias { get; }

    /// <summary>V^σ, shape (D, K, H): the log standard deviations' weights.</summary>
    public Tensor LogStdWeight { get; }

    /// <summary>b^σ, shape (D, K).</summary>
    public Tensor LogStdBias { get; }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>H.</summary>
    public int HiddenUnits { get; }

    /// <summary>K.</summary>
    public int Components { get; }

    /// <summary>The order of modelling: Ordering[d] is the variable (column of x) modelled d-th.</summary>
    public IReadOnlyList<int> Ordering => _ordering;

    /// <summary>The parameters of every conditional given x (teacher forcing), position d of the ordering in row d of
    /// the second axis.</summary>
    /// <param name="x">Shape (N, D), columns in the data's own order.</param>
    /// <returns>The log mixing weights log π (normalised over K), the means μ and the log standard deviations log σ,
    /// each of shape (N, D, K).</returns>
    public (Tensor LogMixing, Tensor Mean, Tensor LogStd) Conditionals(Tensor x)
    {
        var ordered = CheckInput(x).IndexSelect(1, _ordering);
        int count = x.Size(0), d = Dimensions;
        // Row (n, d) of the masked copy holds x_<d of example n; one product with Wᵀ gives every pre-activation.
        var earlierInputs = ordered.Unsqueeze(1).Mul(_earlier).Reshape(count * d, d);
        var hidden = Tensor.Linear(earlierInputs, Weight, HiddenBias).Sigmoid().Reshape(count, d, 1, HiddenUnits);
        // Conditional d's own output weights: (N, D, 1, H) × (D, K, H) summed over H gives (N, D, K).
        Tensor Output(Tensor weight, Tensor bias) => hidden.Mul(weight).Sum(3).Add(bias);
        return (Output(MixingWeight, MixingBias).LogSoftmax(2), Output(MeanWeight, MeanBias), Output(LogStdWeight, LogStdBias));
    }

    /// <summary>log p(x) in nats for each example: Σ_d log Σ_k π_dk N(x_{o_d}; μ_dk, σ_dk²) (a density, so it can be
    /// positive).</summary>
    /// <param name="x">Shape (N, D).</param>
    /// <returns>Shape (N).</returns>
    public override Tensor LogProb(Tensor x)
    {
        var (logMixing, mean, logStd) = Conditionals(x);
        var ordered = x.IndexSelect(1, _ordering).Unsqueeze(2);
        var standardised = ordered.Sub(mean).Mul(logStd.Neg().Exp());
        // log N(x; μ, σ²) = −z²/2 − log σ − log √(2π), with z = (x − μ)/σ.
        var logNormal = standardised.Mul(standardised).Mul(-0.5f).Sub(logStd).Sub(HalfLogTwoPi);
        return logMixing.Add(logNormal).LogSumExp(2).Sum(1);
    }

    /// <summary>Draws <paramref name="count"/> vectors by ancestral sampling in the model's ordering: D passes, the
    /// d-th choosing a component k with probability π_dk and drawing x_{o_d} ~ N(μ_dk, σ_dk²). Not recorded for
    /// autograd.</summary>
    /// <returns>Shape (count, D), columns in the data's own order: real values in the data's own units, not the [0, 1]
    /// of the image models (like <see cref="MlpGan"/>'s points).</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        int d = Dimensions, k = Components;
        var samples = new float[count * d]; // in the data's order; entries not yet drawn are 0 and never read
        var mixing = new double[k];
        using (Tensor.NoGrad())
        {
            for (var position = 0; position < d; position++)
            {
                var (logMixing, mean, logStd) = Conditionals(Tensor.FromArray(samples, count, d));
                var probabilities = logMixing.Exp().ToArray();
                var means = mean.ToArray();
                var stds = logStd.Exp().ToArray();
                var column = _ordering[position];
                for (var n = 0; n < count; n++)
                {
                    var offset = (n * d + position) * k;
                    for (var c = 0; c < k; c++)
                    {
                        mixing[c] = probabilities[offset + c];
                    }
                    var component = offset + generator.Categorical(mixing);
                    samples[n * d + column] = (float)generator.Normal(means[component], stds[component]);
                }
            }
        }
        return Tensor.FromArray(samples, count, d);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"dimensions: {Dimensions}, hiddenUnits: {HiddenUnits}, components: {Components}, ordering: [{string.Join(", ", _ordering)}]";
}
