using Generative.Data;
using Generative.Tensors;

namespace Generative.Tests.Data;

public class RotationsTests
{
    [Fact]
    public void Rotate_OneQuarterTurn_IsCounterClockwise()
    {
        // 1 2      2 4
        // 3 4  ->  1 3   (the top-right corner comes to the top-left)
        var image = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4);

        Assert.Equal([2f, 4f, 1f, 3f], Rotations.Rotate(image, [1]).ToArray());
        Assert.Equal([4f, 3f, 2f, 1f], Rotations.Rotate(image, [2]).ToArray());
        Assert.Equal([3f, 1f, 4f, 2f], Rotations.Rotate(image, [-1]).ToArray());
    }

    [Fact]
    public void Rotate_TurnsThatAddUpToAWholeTurn_GiveTheImagesBack()
    {
        var rows = Tensor.Rand([3, 49], new Generator(1));

        var turned = Rotations.Rotate(Rotations.Rotate(rows, [1, 2, 3]), [3, 2, 5]);

        Assert.Equal(rows.ToArray(), turned.ToArray());
        Assert.Equal(rows.ToArray(), Rotations.Rotate(rows, [4, 0, -4]).ToArray());
    }

    [Fact]
    public void Rotate_BadInput_NamesTheProblem()
    {
        Assert.Contains("square images", Assert.Throws<ArgumentException>(() => Rotations.Rotate(Tensor.Zeros([2, 10]), [0, 0])).Message);
        Assert.Contains("2 quarter-turn counts for 3 images", Assert.Throws<ArgumentException>(() => Rotations.Rotate(Tensor.Zeros([3, 4]), [0, 1])).Message);
    }
}
