using Generative.NN;
using Generative.Tensors;
using Generative.Tensors.Kernels;

namespace Generative.Models;

/// <summary>
/// NADE, the Neural Autoregressive Distribution Estimator (Larochelle and Murray 2011, "The Neural Autoregressive
/// Distribution Estimator", https://proceedings.mlr.press/v15/larochelle11a.html), for binary vectors x ∈ {0, 1}^D.
/// </summary>
/// <remarks>
/// <para>Factorisation, in the natural order of the dimensions:</para>
/// <code>
/// p(x) = Π_d p(x_d | x_&lt;d),   p(x_d = 1 | x_&lt;d) = σ(b_d + V[d, :] · h_d),   h_d = σ(c + W[:, :d] x_&lt;d)
/// </code>
/// <para>
/// Every conditional shares the one hidden layer's weights W (H, D) and bias c (tied weights), so
/// a_{d+1} = a_d + W[:, d] x_d costs O(H) per dimension and all D conditionals O(D H) per example, instead of the
/// O(D² H) of D separate networks. The whole computation is one fused op, <see cref="Tensor.NadeLogits"/>.
/// Parameters are named as in the paper and PyTorch ports: <c>weight</c> (W), <c>hidden_bias</c> (c),
/// <c>output_weight</c> (V), <c>output_bias</c> (b).
/// </para>
/// </remarks>
public sealed class Nade : AutoregressiveModel
{
    /// <summary>Creates the model with weights drawn uniformly from ±1/√fan-in (as <see cref="Linear"/>) and zero biases.</summary>
    /// <param name="dimensions">D, the length of each binary vector (784 for 28 x 28 images).</param>
    /// <param name="hiddenUnits">H, the size of the shared hidden layer (500 in the paper).</param>
    /// <param name="generator">Source of the initial values; <see cref="Init.DefaultGenerator"/> when null.</param>
    public Nade(int dimensions, int hiddenUnits, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenUnits);
        Dimensions = dimensions;
        HiddenUnits = hiddenUnits;
        var inputBound = 1 / Math.Sqrt(dimensions);
        var hiddenBound = 1 / Math.Sqrt(hiddenUnits);
        Weight = Parameter(Init.Uniform(Tensor.Zeros(hiddenUnits, dimensions), -inputBound, inputBound, generator));
        HiddenBias = Parameter(Tensor.Zeros(hiddenUnits));
        OutputWeight = Parameter(Init.Uniform(Tensor.Zeros(dimensions, hiddenUnits), -hiddenBound, hiddenBound, generator));
        OutputBias = Parameter(Tensor.Zeros(dimensions));
    }

    /// <summary>W, shape (H, D).</summary>
    public Tensor Weight { get; }

    /// <summary>c, shape (H).</summary>
    public Tensor HiddenBias { get; }

    /// <summary>V, shape (D, H).</summary>
    public Tensor OutputWeight { get; }

    /// <summary>b, shape (D).</summary>
    public Tensor OutputBias { get; }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>H.</summary>
    public int HiddenUnits { get; }

    /// <summary>The logits of every conditional p(x_d = 1 | x_&lt;d), computed in one pass (teacher forcing).</summary>
    /// <param name="input">x, shape (N, D).</param>
    /// <returns>Shape (N, D).</returns>
    public override Tensor Forward(Tensor input) => Tensor.NadeLogits(CheckInput(input), Weight, HiddenBias, OutputWeight, OutputBias);

    /// <summary>log p(x) in nats for each example: Σ_d log p(x_d | x_&lt;d).</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <returns>Shape (N).</returns>
    public override Tensor LogProb(Tensor x) => NegativeLogLikelihood(x).Neg();

    /// <summary>−log p(x) in nats for each example, the conditionals' binary cross-entropies summed, as one fused op
    /// (<see cref="Tensor.NadeNegativeLogLikelihood"/>): equal to
    /// <c>Losses.BinaryCrossEntropyWithLogits(Forward(x), x, Reduction.None).Sum(1)</c>, in one sweep with its gradient
    /// (composed that way when x itself requires gradients).</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    /// <returns>Shape (N).</returns>
    public Tensor NegativeLogLikelihood(Tensor x) => CheckInput(x).RequiresGrad && Tensor.IsGradEnabled
        ? Losses.BinaryCrossEntropyWithLogits(Forward(x), x, Reduction.None).Sum(1)
        : Tensor.NadeNegativeLogLikelihood(x, Weight, HiddenBias, OutputWeight, OutputBias);

    /// <summary>The training loss: the mean negative log-likelihood −(1/N) Σ_n log p(x_n), in nats.</summary>
    /// <param name="x">Binary vectors, shape (N, D).</param>
    public override Tensor Loss(Tensor x) => NegativeLogLikelihood(x).Mean();

    /// <summary>Draws <paramref name="count"/> vectors by ancestral sampling, one dimension after another
    /// (x_d ~ Bernoulli(p(x_d = 1 | x_&lt;d))); not recorded for autograd.</summary>
    /// <returns>Shape (count, D), values 0 or 1.</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        int d = Dimensions, h = HiddenUnits;
        var weightT = new float[d * h];
        NadeKernels.Transpose(Weight.ContiguousSpan(), h, d, weightT, h);
        var c = HiddenBias.ContiguousSpan();
        var v = OutputWeight.ContiguousSpan();
        var b = OutputBias.ContiguousSpan();
        var samples = new float[count * d];
        var preActivation = new float[h];
        for (var n = 0; n < count; n++)
        {
            c.CopyTo(preActivation);
            for (var j = 0; j < d; j++)
            {
                var logit = NadeKernels.StepLogit(preActivation, v.Slice(j * h, h), b[j]);
                double probability = Reproducible.Sigmoid(logit);
                if (generator.Bernoulli(probability))
                {
                    samples[n * d + j] = 1f;
                    System.Numerics.Tensors.TensorPrimitives.Add(preActivation, weightT.AsSpan(j * h, h), preActivation);
                }
            }
        }
        return Tensor.FromArray(samples, count, d);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"dimensions: {Dimensions}, hiddenUnits: {HiddenUnits}";
}
