using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

/// <summary>MADE's masked linear layer and PixelCNN's masked convolutions: the masks, and the autoregressive
/// connectivity they promise, read off the gradients of one output with respect to the input.</summary>
public class MaskedLayerTests
{
    [Theory]
    [InlineData(MaskType.A, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(MaskType.B, new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void MaskedConv2d_Mask_RowsAboveAndLeftOfCentre(MaskType type, int[] expected5x5)
    {
        var conv = new MaskedConv2d(type, 2, 3, 5, generator: new Generator(1));

        Assert.Equal([3, 2, 5, 5], conv.Mask.Shape);
        for (var o = 0; o < 3; o++)
        {
            for (var c = 0; c < 2; c++)
            {
                Assert.Equal(expected5x5.Select(v => (float)v), conv.Mask.Select(0, o).Select(0, c).Reshape(25).ToArray());
            }
        }
        Assert.Equal(type == MaskType.A ? 0f : 1f, conv.Mask[0, 0, 2, 2]);
    }

    [Fact]
    public void MaskedConv2d_Registration_MaskIsABufferNotAParameter()
    {
        var conv = new MaskedConv2d(MaskType.A, 1, 4, 7);

        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
        Assert.Equal(["mask"], conv.NamedBuffers().Select(b => b.Name));
        Assert.Throws<ArgumentException>(() => new MaskedConv2d(MaskType.A, 1, 4, 4));
    }

    /// <summary>Raster positions j whose input pixel has a non-zero gradient for output pixel <paramref name="i"/>.</summary>
    private static HashSet<int> Dependencies(Func<Tensor, Tensor> network, int channels, int size, int i)
    {
        var input = Tensor.Randn([1, channels, size, size], new Generator(5));
        input.RequiresGrad = true;
        var output = network(input);
        output.Select(0, 0).Select(1, i / size).Select(1, i % size).Sum().Backward(); // all channels at pixel i
        var grad = input.Grad!.Sum(1).Reshape(size * size).ToArray();
        return Enumerable.Range(0, size * size).Where(j => grad[j] != 0).ToHashSet();
    }

    [Theory]
    [InlineData(MaskType.A)]
    [InlineData(MaskType.B)]
    public void MaskedConv2d_SingleLayer_OutputDependsOnlyOnEarlierPixels(MaskType type)
    {
        const int size = 6;
        var conv = new MaskedConv2d(type, 2, 3, 3, generator: new Generator(2));

        for (var i = 0; i < size * size; i++)
        {
            var dependencies = Dependencies(conv.Forward, 2, size, i);
            Assert.All(dependencies, j => Assert.True(type == MaskType.A ? j < i : j <= i, $"output {i} depends on input {j}"));
            Assert.Equal(type == MaskType.B, dependencies.Contains(i));
            if (i % size > 0)
            {
                Assert.Contains(i - 1, dependencies); // the left neighbour is always visible
            }
        }
    }

    [Fact]
    public void MaskedConv2d_StackAThenB_NoBlindLeakOfCurrentOrLaterPixels()
    {
        const int size = 7;
        var generator = new Generator(3);
        var network = new Sequential(
            new MaskedConv2d(MaskType.A, 1, 4, 5, generator: generator), new Relu(),
            new MaskedConv2d(MaskType.B, 4, 4, 3, generator: generator), new Relu(),
            new MaskedConv2d(MaskType.B, 4, 1, 3, generator: generator));

        for (var i = 0; i < size * size; i++)
        {
            var dependencies = Dependencies(network.Forward, 1, size, i);
            Assert.All(dependencies, j => Assert.True(j < i, $"output {i} depends on input {j}"));
            if (i > 0)
            {
                Assert.NotEmpty(dependencies);
            }
        }
    }

    [Fact]
    public void MaskedLinear_MadeMasks_OutputDependsOnlyOnEarlierInputs()
    {
        // MADE with D = 5 inputs in natural order, hidden degrees m(k) in 1..D-1: input->hidden keeps m(k) >= d,
        // hidden->output keeps d > m(k) (degrees 1-based).
        const int d = 5, hidden = 12;
        var generator = new Generator(4);
        var degrees = Enumerable.Range(0, hidden).Select(k => 1 + k % (d - 1)).ToArray();
        var first = new MaskedLinear(d, hidden, generator: generator);
        var second = new MaskedLinear(hidden, d, generator: generator);
        first.SetMask(MaskFrom(hidden, d, (k, input) => degrees[k] >= input + 1));
        second.SetMask(MaskFrom(d, hidden, (output, k) => output + 1 > degrees[k]));

        for (var output = 0; output < d; output++)
        {
            var x = Tensor.Randn([1, d], generator);
            x.RequiresGrad = true;
            second.Forward(first.Forward(x).Relu() + 1f).Select(1, output).Sum().Backward();
            var grad = x.Grad!.ToArray();
            for (var input = 0; input < d; input++)
            {
                Assert.True(input < output || grad[input] == 0, $"output {output} depends on input {input}");
            }
        }
    }

    private static Tensor MaskFrom(int rows, int columns, Func<int, int, bool> keep)
    {
        var values = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                values[r * columns + c] = keep(r, c) ? 1f : 0f;
            }
        }
        return Tensor.FromArray(values, rows, columns);
    }

    [Fact]
    public void MaskedLinear_MaskedWeights_GetZeroGradientAndNoInfluence()
    {
        var layer = new MaskedLinear(3, 2, generator: new Generator(1));
        var mask = Tensor.FromArray([1, 0, 1, 0, 1, 0], 2, 3);
        layer.SetMask(mask);
        var x = Tensor.Randn([4, 3], new Generator(2));

        layer.Forward(x).Sum().Backward();

        var grad = layer.Weight.Grad!.ToArray();
        Assert.Equal(0f, grad[1]);
        Assert.Equal(0f, grad[3]);
        Assert.Equal(0f, grad[5]);
        Assert.NotEqual(0f, grad[0]);
        var expected = x.MatMul((layer.Weight * mask).T) + layer.Bias!;
        Assert.Equal(expected.ToArray(), layer.Forward(x).ToArray());
        Assert.Equal(["mask"], layer.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void MaskedLinear_FusedOp_SameBitsAsLinearOfMaskedWeight()
    {
        // The layer's op never builds W ⊙ M as a graph node; the composed form is the reference it must reproduce.
        var generator = new Generator(4);
        var layer = new MaskedLinear(37, 29, generator: generator);
        layer.SetMask(Tensor.Bernoulli(Tensor.Full([29, 37], 0.6f), generator));
        var x = Tensor.Randn([13, 37], generator);
        var upstream = Tensor.Randn([13, 29], generator);

        var fusedInput = x.Detach();
        fusedInput.RequiresGrad = true;
        var fused = layer.Forward(fusedInput);
        fused.Backward(upstream);
        var (fusedWeightGrad, fusedBiasGrad) = (layer.Weight.Grad!.ToArray(), layer.Bias!.Grad!.ToArray());
        layer.ZeroGrad();

        var composedInput = x.Detach();
        composedInput.RequiresGrad = true;
        var composed = Tensor.Linear(composedInput, layer.Weight * layer.Mask, layer.Bias);
        composed.Backward(upstream);

        Assert.Equal("MaskedLinear", fused.GradFn);
        Assert.Equal(composed.ToArray(), fused.ToArray());
        Assert.Equal(composedInput.Grad!.ToArray(), fusedInput.Grad!.ToArray());
        Assert.Equal(layer.Weight.Grad!.ToArray(), fusedWeightGrad);
        Assert.Equal(layer.Bias.Grad!.ToArray(), fusedBiasGrad);
    }

    [Fact]
    public void MaskedLinearOp_MaskRequiresGrad_MaskGetsGradientOfComposedForm()
    {
        var generator = new Generator(6);
        var x = Tensor.Randn([5, 4], generator);
        var weight = Tensor.Randn([3, 4], generator);
        var mask = Tensor.Rand([3, 4], generator);
        mask.RequiresGrad = true;

        Tensor.MaskedLinear(x, weight, mask, null).Sum().Backward();

        // d/dM of sum(x (W ⊙ M)ᵀ) = W ⊙ (1ᵀ x) per row.
        var columnSums = x.Sum(0).ToArray();
        var expected = Enumerable.Range(0, 12).Select(i => weight.ToArray()[i] * columnSums[i % 4]).ToArray();
        var actual = mask.Grad!.ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4); // float sums of 5 products, rounded in a different order
        }
    }

    [Fact]
    public void MaskedLinearOp_MaskWrongShape_ThrowsNamingShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.MaskedLinear(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4), Tensor.Ones(4, 3), null));

        Assert.Contains("(4, 3)", ex.Message);
        Assert.Contains("(3, 4)", ex.Message);
    }

    [Fact]
    public void MaskedLinear_SetMaskWrongShape_ThrowsNamingShapes()
    {
        var layer = new MaskedLinear(3, 2);

        var error = Assert.Throws<ArgumentException>(() => layer.SetMask(Tensor.Ones(3, 2)));

        Assert.Contains("(3, 2)", error.Message);
        Assert.Contains("(2, 3)", error.Message);
    }
}
