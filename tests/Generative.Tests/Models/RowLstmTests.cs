using Generative.Models;
using Generative.Tensors;

namespace Generative.Tests.Models;

/// <summary>The Row LSTM's receptive field, read off the gradient of one pixel's logit: one pixel to the left on its own
/// row and a triangle above that widens by one pixel per row on each side (the shared autoregressive contract is in
/// AutoregressiveModelTests).</summary>
public class RowLstmTests
{
    private const int Height = 6, Width = 10;

    [Fact]
    public void Forward_PixelLogit_SeesItsLeftNeighbourAndATriangleAbove()
    {
        var model = new RowLstm(Height, Width, hiddenSize: 5, new Generator(2));
        var x = Tensor.Bernoulli(Tensor.Full([1, Height * Width], 0.5f), new Generator(4));
        x.RequiresGrad = true;
        const int row = 3, column = 4;

        model.Forward(x).Select(1, row * Width + column).Sum().Backward();
        var grad = x.Grad!.ToArray();
        bool Sees(int r, int c) => grad[r * Width + c] != 0;

        // Row r − k (k >= 1) is seen from column j − k − 1 to j + k − 1: h_{r−1} covers j − 1 .. j + 1, one more per
        // row up, and each state reads the input one pixel to its left.
        for (var r = 0; r < Height; r++)
        {
            for (var c = 0; c < Width; c++)
            {
                var k = row - r;
                var expected = k == 0 ? c == column - 1 : k > 0 && c >= column - k - 1 && c <= column + k - 1;
                Assert.True(expected == Sees(r, c), $"pixel ({r}, {c}): expected {(expected ? "seen" : "unseen")}");
            }
        }
    }

    [Fact]
    public void Forward_WrongWidth_ThrowsNamingShapeAndImageSize()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RowLstm(3, 4, hiddenSize: 2).Forward(Tensor.Zeros(2, 11)));

        Assert.Contains("(2, 11)", ex.Message);
        Assert.Contains("3 x 4", ex.Message);
    }
}
