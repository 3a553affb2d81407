using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

public class ResampleTests
{
    [Fact]
    public void Upsample2x_RepeatsEachPixelIntoABlock()
    {
        var maps = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 1, 1, 2, 3);

        var up = Resample.Upsample2x(maps);

        Assert.Equal([1, 1, 4, 6], up.Shape);
        Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 5f, 5f, 6f, 6f, 4f, 4f, 5f, 5f, 6f, 6f], up.ToArray());
    }

    [Fact]
    public void AveragePool2x_IsTheBlockMean_AndUndoesUpsampling()
    {
        var maps = Tensor.Randn([2, 3, 4, 6], new Generator(1));
        var values = maps.ToArray();

        var pooled = Resample.AveragePool2x(maps);

        Assert.Equal([2, 3, 2, 3], pooled.Shape);
        // Block (0, 1, 1, 2): rows 2-3, columns 4-5 of channel 1 of image 0.
        float At(int y, int x) => values[(1 * 4 + y) * 6 + x];
        Assert.Equal((At(2, 4) + At(2, 5) + At(3, 4) + At(3, 5)) / 4, pooled.ToArray()[(1 * 2 + 1) * 3 + 2], 5);
        Assert.Equal(pooled.ToArray(), Resample.AveragePool2x(Resample.Upsample2x(pooled)).ToArray());
    }

    [Fact]
    public void Gradients_AreTheAdjoints()
    {
        // Upsampling's gradient sums each block; pooling's spreads a quarter to each pixel of its block.
        var small = Tensor.Randn([1, 2, 3, 3], new Generator(2));
        small.RequiresGrad = true;
        Resample.Upsample2x(small).Sum().Backward();
        Assert.All(small.Grad!.ToArray(), g => Assert.Equal(4f, g));

        var large = Tensor.Randn([1, 2, 4, 4], new Generator(3));
        large.RequiresGrad = true;
        Resample.AveragePool2x(large).Sum().Backward();
        Assert.All(large.Grad!.ToArray(), g => Assert.Equal(0.25f, g));
    }

    [Fact]
    public void BadShapes_AreNamed()
    {
        Assert.Contains("(N, C, H, W)", Assert.Throws<ArgumentException>(() => Resample.Upsample2x(Tensor.Zeros([2, 4]))).Message);
        Assert.Contains("5 x 4", Assert.Throws<ArgumentException>(() => Resample.AveragePool2x(Tensor.Zeros([1, 1, 5, 4]))).Message);
    }
}
