using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>PixelCNN's receptive field, read off the gradient of one pixel's logit with respect to the input image:
/// only earlier pixels in raster order, and the blind spot up and to the right (the shared autoregressive contract is in
/// AutoregressiveModelTests).</summary>
public class PixelCnnTests
{
    private const int Height = 6, Width = 10;

    /// <summary>(row, column) of every input pixel with a non-zero gradient for the logit of pixel (row, column).</summary>
    private static HashSet<(int Row, int Column)> Dependencies(PixelCnn model, int row, int column)
    {
        var x = Tensor.Bernoulli(Tensor.Full([1, Height * Width], 0.5f), new Generator(4));
        x.RequiresGrad = true;
        model.Forward(x).Select(1, row * Width + column).Sum().Backward();
        var grad = x.Grad!.ToArray();
        return Enumerable.Range(0, grad.Length).Where(i => grad[i] != 0).Select(i => (i / Width, i % Width)).ToHashSet();
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 7)]
    [InlineData(3, 5)]
    [InlineData(2, 9)]
    public void Forward_PixelLogit_DependsOnlyOnEarlierPixelsAndMissesTheBlindSpot(int layers, int inputKernel)
    {
        var model = new PixelCnn(Height, Width, channels: 4, layers: layers, inputKernel: inputKernel, generator: new Generator(3));
        const int row = 3, column = 4;
        var reach = inputKernel / 2;

        var dependencies = Dependencies(model, row, column);

        Assert.All(dependencies, d => Assert.True(d.Row * Width + d.Column < row * Width + column, $"depends on later pixel {d}"));
        Assert.Contains((row, column - 1), dependencies);           // left neighbour, through mask A directly
        Assert.Contains((row - 1, column + reach), dependencies);   // the first kernel's reach to the upper right
        // Up and to the right beyond the first kernel: features on the current row only look right through the rows
        // above, and features on the row above only look left on their own row, so however deep, no path arrives.
        Assert.DoesNotContain((row - 1, column + reach + 1), dependencies);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Constructor_InputKernelNotOddPositive_ThrowsNamingIt(int inputKernel)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PixelCnn(4, 5, channels: 2, layers: 1, inputKernel: inputKernel));

        Assert.Equal("inputKernel", ex.ParamName);
        Assert.Contains($"got {inputKernel}", ex.Message);
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsNamingShapeAndImageSize()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PixelCnn(4, 5, channels: 2, layers: 1).Forward(Tensor.Zeros(3, 21)));

        Assert.Contains("(3, 21)", ex.Message);
        Assert.Contains("4 x 5", ex.Message);
    }
}
