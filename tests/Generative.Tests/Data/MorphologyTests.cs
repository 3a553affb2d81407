using Generative.Data;
using Generative.Tensors;

namespace Generative.Tests.Data;

public class MorphologyTests
{
    private static Tensor Dot(int side, int y, int x, float value = 1f)
    {
        var pixels = new float[side * side];
        pixels[y * side + x] = value;
        return Tensor.FromArray(pixels, 1, side * side);
    }

    [Fact]
    public void Dilate_OnePixel_BecomesA3x3Square_ClippedAtTheBorder()
    {
        var grown = Morphology.Dilate(Dot(5, 2, 2)).ToArray();
        var corner = Morphology.Dilate(Dot(5, 0, 0)).ToArray();

        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 5; x++)
            {
                Assert.Equal(Math.Abs(y - 2) <= 1 && Math.Abs(x - 2) <= 1 ? 1f : 0f, grown[y * 5 + x]);
                Assert.Equal(y <= 1 && x <= 1 ? 1f : 0f, corner[y * 5 + x]);
            }
        Assert.Equal(25f, Morphology.Dilate(Dot(5, 2, 2), times: 2).ToArray().Sum());
    }

    [Fact]
    public void Erode_IsDilationOfTheNegative_AndRemovesThinParts()
    {
        var rows = Tensor.Rand([3, 36], new Generator(1));

        var eroded = Morphology.Erode(rows).ToArray();
        var viaNegative = Morphology.Dilate(1f - rows).ToArray().Select(v => 1f - v).ToArray();

        Assert.All(eroded.Zip(viaNegative), pair => Assert.Equal(pair.Second, pair.First, 1e-6f)); // 1 − (1 − v) rounds
        Assert.Equal(0f, Morphology.Erode(Dot(6, 3, 3)).ToArray().Sum());
        Assert.Equal(rows.ToArray(), Morphology.Erode(rows, times: 0).ToArray());
    }

    [Fact]
    public void Thicken_EachImageByItsOwnSteps()
    {
        var rows = Tensor.Rand([3, 49], new Generator(2));

        var thickened = Morphology.Thicken(rows, [-1, 0, 2]);

        Assert.Equal(Morphology.Erode(rows.Narrow(0, 0, 1)).ToArray(), thickened.Narrow(0, 0, 1).ToArray());
        Assert.Equal(rows.Narrow(0, 1, 1).ToArray(), thickened.Narrow(0, 1, 1).ToArray());
        Assert.Equal(Morphology.Dilate(rows.Narrow(0, 2, 1), 2).ToArray(), thickened.Narrow(0, 2, 1).ToArray());
        Assert.Contains("2 step counts", Assert.Throws<ArgumentException>(() => Morphology.Thicken(rows, [0, 1])).Message);
    }

    [Fact]
    public void Dilate_BadInput_NamesTheProblem()
    {
        Assert.Contains("Morphology.Dilate: images must be rows (N, S·S)", Assert.Throws<ArgumentException>(() => Morphology.Dilate(Tensor.Zeros([2, 10]))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Morphology.Erode(Tensor.Zeros([1, 4]), times: -1));
    }
}
