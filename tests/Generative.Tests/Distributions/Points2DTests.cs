using Generative.Distributions;
using Generative.Tensors;

namespace Generative.Tests.Distributions;

public class Points2DTests
{
    [Fact]
    public void ToTensor_FromTensor_RoundTripThePoints()
    {
        var points = new Points2D([1.5, -2, 0.25], [3, 0.5, -1], [2, 0, 1]);

        var tensor = points.ToTensor();
        var back = Points2D.FromTensor(tensor);

        Assert.Equal([3, 2], tensor.Shape);
        Assert.Equal([1.5f, 3f, -2f, 0.5f, 0.25f, -1f], tensor.ToArray());
        Assert.Equal(points.Xs, back.Xs);
        Assert.Equal(points.Ys, back.Ys);
        Assert.Equal([0, 0, 0], back.Labels);
    }

    [Fact]
    public void FromTensor_NotTwoColumns_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Points2D.FromTensor(Tensor.Zeros([4, 3])));
        Assert.Contains("(N, 2), got (4, 3)", error.Message);
    }
}
