using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>The gated PixelCNN's receptive field (every earlier pixel within reach, no later one, no blind spot), its
/// gradients against finite differences and its reproducibility; the shared autoregressive contract (normalised,
/// autoregressive, sampling that follows LogProb, completion) is in AutoregressiveModelTests.</summary>
public class GatedPixelCnnTests
{
    private const int Height = 9, Width = 11;

    /// <summary>(row, column) of every input pixel with a non-zero gradient for the logit of pixel (row, column). Every
    /// weight and bias is set to 0.05 and the input to ones, so every pre-activation is positive, every gate's and
    /// ReLU's derivative is positive, and a gradient is zero exactly where no path connects the two pixels.</summary>
    private static HashSet<(int Row, int Column)> Dependencies(GatedPixelCnn model, int row, int column)
    {
        using (Tensor.NoGrad())
        {
            foreach (var parameter in model.Parameters()) parameter.CopyFrom(Tensor.Full(parameter.Shape, 0.05f));
        }
        var x = Tensor.Ones(1, Height * Width);
        x.RequiresGrad = true;
        model.Forward(x).Select(1, row * Width + column).Sum().Backward();
        var grad = x.Grad!.ToArray();
        return Enumerable.Range(0, grad.Length).Where(i => grad[i] != 0).Select(i => (i / Width, i % Width)).ToHashSet();
    }

    /// <summary>The documented field: rows r − k₀/2 − L − 1 … r − 1 over columns c ± (k₀/2 + L), and row r's columns
    /// c − k₀/2 − L … c − 1, inside the image. Every pixel of it precedes (r, c) in raster order.</summary>
    private static HashSet<(int Row, int Column)> ExpectedField(int row, int column, int layers, int inputKernel)
    {
        var reach = inputKernel / 2 + layers;
        var field = new HashSet<(int Row, int Column)>();
        for (var r = Math.Max(0, row - reach - 1); r <= row; r++)
        {
            var last = r < row ? Math.Min(Width - 1, column + reach) : column - 1;
            for (var c = Math.Max(0, column - reach); c <= last; c++) field.Add((r, c));
        }
        return field;
    }

    [Theory]
    [InlineData(0, 3, 4, 5)]
    [InlineData(1, 3, 4, 5)]
    [InlineData(2, 3, 8, 5)]
    [InlineData(2, 5, 6, 2)]
    [InlineData(3, 7, 8, 10)]
    [InlineData(1, 5, 0, 3)]
    [InlineData(1, 3, 5, 0)]
    public void Forward_PixelLogit_DependsOnExactlyTheEarlierPixelsWithinReach_NoBlindSpot(int layers, int inputKernel, int row, int column)
    {
        var model = new GatedPixelCnn(Height, Width, channels: 3, layers: layers, inputKernel: inputKernel, generator: new Generator(3));

        var dependencies = Dependencies(model, row, column);

        Assert.All(dependencies, d => Assert.True(d.Row * Width + d.Column < row * Width + column, $"depends on later pixel {d}"));
        var expected = ExpectedField(row, column, layers, inputKernel);
        Assert.Equal(expected.Order(), dependencies.Order());
        // The blind spot of PixelCnn: the row above, right of the first kernel's reach, is in the field when in the image.
        var reach = inputKernel / 2 + layers;
        if (row > 0 && column + reach < Width) Assert.Contains((row - 1, column + reach), dependencies);
    }

    [Fact]
    public void Loss_Gradient_MatchesFiniteDifferences()
    {
        // Smooth in the weights (tanh, sigmoid; a ±h step crosses a ReLU's kink only by accident, and these seeds do
        // not), so central differences in float agree with autograd within the round-off of the loss divided by 2h.
        var model = new GatedPixelCnn(4, 5, channels: 3, layers: 1, inputKernel: 3, generator: new Generator(6));
        var x = Tensor.Bernoulli(Tensor.Full([3, 20], 0.5f), new Generator(7));
        var compared = ParameterGradients.AssertMatchFiniteDifferences(model, () => model.Loss(x), entriesPerParameter: 5,
            absoluteTolerance: 1e-2, relativeTolerance: 1e-2, step: 1e-3f);

        Assert.True(compared > 40, $"only {compared} entries compared");
    }

    [Fact]
    public void Constructor_SameSeed_SameLogitsAndSamples_OtherSeedOtherLogits()
    {
        GatedPixelCnn Create(ulong seed) => new(5, 6, channels: 4, layers: 2, inputKernel: 5, generator: new Generator(seed));
        var x = Tensor.Bernoulli(Tensor.Full([2, 30], 0.5f), new Generator(9));
        using (Tensor.NoGrad())
        {
            var (first, second, other) = (Create(1), Create(1), Create(2));

            Assert.Equal(first.Forward(x).ToArray(), second.Forward(x).ToArray());
            Assert.Equal(first.Sample(3, new Generator(4)).ToArray(), second.Sample(3, new Generator(4)).ToArray());
            Assert.NotEqual(first.Forward(x).ToArray(), other.Forward(x).ToArray());
        }
    }

    [Fact]
    public void Parameters_CountedFromTheKernelShapes()
    {
        // First layer: vertical 1 → 2C over (k₀/2 + 1) x k₀, horizontal 1 → 2C over 1 x k₀/2, link 2C → 2C, output C → C;
        // each further layer: vertical C → 2C over 2 x 3, horizontal C → 2C over 1 x 2, link, output; then C → C → 1.
        const int c = 10, k = 7, layers = 3;
        var model = new GatedPixelCnn(28, 28, channels: c, layers: layers, inputKernel: k);
        var first = (k / 2 + 1) * k * 2 * c + 2 * c + k / 2 * 2 * c + 2 * c + 4 * c * c + 2 * c + c * c + c;
        var further = 6 * c * 2 * c + 2 * c + 2 * c * 2 * c + 2 * c + 4 * c * c + 2 * c + c * c + c;
        var output = c * c + c + c + 1;

        Assert.Equal(first + layers * further + output, model.Parameters().Sum(p => p.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Constructor_InputKernelNotOddAtLeastThree_ThrowsNamingIt(int inputKernel)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GatedPixelCnn(4, 5, channels: 2, layers: 1, inputKernel: inputKernel));

        Assert.Equal("inputKernel", ex.ParamName);
        Assert.Contains($"got {inputKernel}", ex.Message);
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsNamingShapeAndImageSize()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GatedPixelCnn(4, 5, channels: 2, layers: 1, inputKernel: 3).Forward(Tensor.Zeros(3, 21)));

        Assert.Contains("(3, 21)", ex.Message);
        Assert.Contains("4 x 5", ex.Message);
    }
}
