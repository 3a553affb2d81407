using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

public class GradientClippingTests
{
    /// <summary>Norms and scaled gradients of order 1-10 computed in float32 against double: a few ulps.</summary>
    private const double Float32Tolerance = 1e-5;

    private static (Tensor[] Parameters, double[][] Gradients) Parameters(float scale)
    {
        var generator = new Generator(21);
        var shapes = new[] { new[] { 3, 4 }, new[] { 4 }, new[] { 2, 2, 2 } };
        var parameters = new Tensor[shapes.Length];
        var gradients = new double[shapes.Length][];
        for (var k = 0; k < shapes.Length; k++)
        {
            parameters[k] = Tensor.Zeros(shapes[k]);
            parameters[k].Grad = Tensor.Randn(shapes[k], generator) * scale;
            gradients[k] = parameters[k].Grad!.ToArray().Select(v => (double)v).ToArray();
        }
        return (parameters, gradients);
    }

    private static double DirectNorm(double[][] gradients, double p) =>
        double.IsPositiveInfinity(p)
            ? gradients.SelectMany(g => g).Max(Math.Abs)
            : Math.Pow(gradients.SelectMany(g => g).Sum(v => Math.Pow(Math.Abs(v), p)), 1 / p);

    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(double.PositiveInfinity)]
    public void ClipGradNorm_AboveMaxNorm_ReturnsTotalNormAndScalesToMaxNorm(double normType)
    {
        var (parameters, gradients) = Parameters(scale: 3f);
        var total = DirectNorm(gradients, normType);
        const double maxNorm = 1.0;

        var returned = GradientClipping.ClipGradNorm(parameters, maxNorm, normType);

        Assert.Equal(total, returned, Float32Tolerance * total);
        var factor = maxNorm / (total + 1e-6);
        for (var k = 0; k < parameters.Length; k++)
        {
            var clipped = parameters[k].Grad!.ToArray();
            for (var i = 0; i < clipped.Length; i++)
            {
                Assert.Equal(gradients[k][i] * factor, clipped[i], Float32Tolerance);
            }
        }
        var clippedNorm = DirectNorm(parameters.Select(p => p.Grad!.ToArray().Select(v => (double)v).ToArray()).ToArray(), normType);
        Assert.Equal(maxNorm, clippedNorm, Float32Tolerance);
    }

    [Fact]
    public void ClipGradNorm_BelowMaxNorm_LeavesGradientsUnchanged()
    {
        var (parameters, gradients) = Parameters(scale: 0.1f);
        var total = DirectNorm(gradients, 2);

        var returned = GradientClipping.ClipGradNorm(parameters, maxNorm: 10 * total);

        Assert.Equal(total, returned, Float32Tolerance * total);
        for (var k = 0; k < parameters.Length; k++)
        {
            Assert.Equal(gradients[k].Select(v => (float)v).ToArray(), parameters[k].Grad!.ToArray());
        }
    }

    [Fact]
    public void ClipGradNorm_ParametersWithoutGrad_AreIgnored()
    {
        var withGrad = Tensor.Zeros(2);
        withGrad.Grad = Tensor.FromArray([3f, 4f]);
        var withoutGrad = Tensor.Zeros(3);

        var total = GradientClipping.ClipGradNorm([withoutGrad, withGrad], maxNorm: 1);

        Assert.Equal(5, total, Float32Tolerance);
        Assert.Null(withoutGrad.Grad);
        Assert.Equal(0.6, withGrad.Grad!.ToArray()[0], Float32Tolerance);
        Assert.Equal(0.8, withGrad.Grad!.ToArray()[1], Float32Tolerance);
    }

    [Fact]
    public void ClipGradNorm_NoGradients_ReturnsZero()
    {
        Assert.Equal(0, GradientClipping.ClipGradNorm([Tensor.Zeros(2)], maxNorm: 1));
    }

    [Fact]
    public void ClipGradNorm_NonFiniteWithErrorIfNonfinite_Throws()
    {
        var parameter = Tensor.Zeros(2);
        parameter.Grad = Tensor.FromArray([float.NaN, 1f]);

        Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([parameter], 1, errorIfNonfinite: true));
    }

    [Theory]
    [InlineData(-1.0, 2.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(double.NaN, 2.0)]
    public void ClipGradNorm_InvalidArguments_Throw(double maxNorm, double normType)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([Tensor.Zeros(1)], maxNorm, normType));
    }
}
