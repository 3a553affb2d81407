using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// MADE, the Masked Autoencoder for Distribution Estimation (Germain, Gregor, Murray and Larochelle 2015, "MADE: Masked
/// Autoencoder for Distribution Estimation", https://arxiv.org/abs/1502.03509), for binary vectors x ∈ {0, 1}^D.
/// </summary>
/// <remarks>
/// <para>Factorisation, in the natural order of the dimensions:</para>
/// <code>
/// p(x) = Π_d p(x_d | x_&lt;d),   p(x_d = 1 | x_&lt;d) = σ(logit_d(x)),   logits = f(x) an MLP with masked weights
/// </code>
/// <para>
/// One pass of an autoencoder gives all D conditionals at once because masks cut every path from input j to output
/// d unless j &lt; d. Each unit gets a degree m: input d has degree d (1-based, natural ordering); each hidden unit k of
/// layer l is given a degree drawn uniformly from {min m^{l−1}, ..., D − 1} (the paper's rule, so no unit is
/// useless); a hidden connection k' → k is kept when m^l(k) ≥ m^{l−1}(k'), and an output connection k → d when
/// d &gt; m^L(k). Layers are <see cref="MaskedLinear"/> with ReLU between them.
/// </para>
/// </remarks>
public sealed class Made : AutoregressiveModel
{
    private readonly MaskedLinear[] _layers;

    /// <summary>Creates the network and its masks.</summary>
    /// <param name="dimensions">D, the length of each binary vector (784 for 28 x 28 images).</param>
    /// <param name="hiddenSizes">The width of each hidden layer, e.g. [500, 500].</param>
    /// <param name="generator">Source of the hidden degrees and the initial weights; <see cref="Init.DefaultGenerator"/>
    /// when null.</param>
    public Made(int dimensions, int[] hiddenSizes, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (hiddenSizes.Length == 0 || hiddenSizes.Any(size => size <= 0))
        {
            throw new ArgumentException($"Made: hiddenSizes must list at least one positive width, got [{string.Join(", ", hiddenSizes)}].", nameof(hiddenSizes));
        }
        generator ??= Init.DefaultGenerator;
        Dimensions = dimensions;
        HiddenSizes = (int[])hiddenSizes.Clone();
        var degrees = new List<int[]> { Enumerable.Range(1, dimensions).ToArray() };
        foreach (var size in hiddenSizes)
        {
            var low = Math.Min(degrees[^1].Min(), Math.Max(dimensions - 1, 1));
            var high = Math.Max(dimensions - 1, low);
            degrees.Add(Enumerable.Range(0, size).Select(_ => generator.NextInt(low, high + 1)).ToArray());
        }
        _layers = new MaskedLinear[hiddenSizes.Length + 1];
        for (var l = 0; l <= hiddenSizes.Length; l++)
        {
            var input = degrees[l];
            var output = l < hiddenSizes.Length ? degrees[l + 1] : degrees[0];
            var strict = l == hiddenSizes.Length; // output d sees hidden k only when d > m(k)
            var mask = new float[output.Length * input.Length];
            for (var o = 0; o < output.Length; o++)
            {
                for (var i = 0; i < input.Length; i++)
                {
                    mask[o * input.Length + i] = (strict ? output[o] > input[i] : output[o] >= input[i]) ? 1f : 0f;
                }
            }
            _layers[l] = new MaskedLinear(input.Length, output.Length, bias: true, generator);
            _layers[l].SetMask(Tensor.FromArray(mask, output.Length, input.Length));
        }
        HiddenDegrees = degrees.Skip(1).Select(d => (int[])d.Clone()).ToArray();
    }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>The widths of the hidden layers.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>The degree m^l(k) of each hidden unit, layer by layer (1-based, as in the paper).</summary>
    public IReadOnlyList<int[]> HiddenDegrees { get; }

    /// <summary>The masked layers, input to output.</summary>
    public IReadOnlyList<MaskedLinear> Layers => _layers;

    /// <summary>The logits of every conditional p(x_d = 1 | x_&lt;d), in one pass.</summary>
    /// <param name="input">x, shape (N, D).</param>
    /// <returns>Shape (N, D).</returns>
    public override Tensor Forward(Tensor input)
    {
        var x = CheckInput(input);
        for (var l = 0; l < _layers.Length; l++)
        {
            x = _layers[l].Forward(x);
            if (l + 1 < _layers.Length)
            {
                x = x.Relu();
            }
        }
        return x;
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"dimensions: {Dimensions}, hiddenSizes: [{string.Join(", ", HiddenSizes)}]";
}
