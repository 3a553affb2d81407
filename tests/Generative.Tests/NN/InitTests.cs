using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

/// <summary>Initialisations against PyTorch's formulas: bounds of the uniform ones, spread of the normal ones, fans
/// of convolution weights, reproducibility from a seed.</summary>
public class InitTests
{
    [Fact]
    public void CalculateFans_ConvWeight_IncludesReceptiveField()
    {
        Assert.Equal((3 * 25, 16 * 25), Init.CalculateFans(Tensor.Zeros(16, 3, 5, 5)));
        Assert.Equal((784, 400), Init.CalculateFans(Tensor.Zeros(400, 784)));
        Assert.Throws<ArgumentException>(() => Init.CalculateFans(Tensor.Zeros(5)));
    }

    [Theory]
    [InlineData(Nonlinearity.Linear, 0.0, 1.0)]
    [InlineData(Nonlinearity.Tanh, 0.0, 5.0 / 3)]
    [InlineData(Nonlinearity.Relu, 0.0, 1.4142135623730951)]
    [InlineData(Nonlinearity.LeakyRelu, 0.2, 1.3867504905630728)] // sqrt(2 / 1.04)
    public void CalculateGain_Nonlinearities_MatchPyTorch(Nonlinearity nonlinearity, double slope, double expected)
    {
        Assert.Equal(expected, Init.CalculateGain(nonlinearity, slope), 1e-12);
    }

    [Fact]
    public void KaimingUniform_ReluFanIn_BoundSqrtSixOverFanIn()
    {
        var weight = Init.KaimingUniform(Tensor.Zeros(200, 50), nonlinearity: Nonlinearity.Relu, generator: new Generator(1));
        var bound = Math.Sqrt(6.0 / 50);

        var values = weight.ToArray();
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        Assert.InRange(values.Max(), 0.98 * bound, bound);
        Statistics.AssertVarianceWithinStandardErrors(bound * bound / 3, Math.Pow(bound, 4) / 5, values.Select(v => (double)v).ToList());
    }

    [Fact]
    public void KaimingNormal_FanOut_StdGainOverSqrtFan()
    {
        var weight = Init.KaimingNormal(Tensor.Zeros(100, 40, 3, 3), mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: new Generator(2));
        var std = Math.Sqrt(2.0 / (100 * 9));

        var samples = weight.ToArray().Select(v => (double)v).ToList();
        Statistics.AssertMeanWithinStandardErrors(0, std * std, samples);
        Statistics.AssertVarianceWithinStandardErrors(std * std, 3 * Math.Pow(std, 4), samples);
    }

    [Fact]
    public void XavierUniformAndNormal_Spread_FromFanInPlusFanOut()
    {
        var uniform = Init.XavierUniform(Tensor.Zeros(60, 40), generator: new Generator(3)).ToArray();
        var normal = Init.XavierNormal(Tensor.Zeros(60, 40), gain: 2, generator: new Generator(4)).ToArray().Select(v => (double)v).ToList();
        var bound = Math.Sqrt(6.0 / 100);
        var std = 2 * Math.Sqrt(2.0 / 100);

        Assert.All(uniform, v => Assert.InRange(v, -bound, bound));
        Assert.InRange(uniform.Max(), 0.98 * bound, bound);
        Statistics.AssertVarianceWithinStandardErrors(std * std, 3 * Math.Pow(std, 4), normal);
    }

    [Fact]
    public void Fill_Parameter_WritesInPlaceWithoutRecording()
    {
        var parameter = Tensor.Zeros(3, 4);
        parameter.RequiresGrad = true;

        var returned = Init.Normal(parameter, 1, 0.5, new Generator(5));
        Init.Ones(Tensor.Zeros(2));

        Assert.Same(parameter, returned);
        Assert.True(parameter.IsLeaf);
        Assert.Equal(Init.Normal(Tensor.Zeros(3, 4), 1, 0.5, new Generator(5)).ToArray(), parameter.ToArray());
        Assert.Equal([1f, 1f], Init.Ones(Tensor.Zeros(2)).ToArray());
        Assert.Equal([0f, 0f], Init.Zeros(Tensor.Ones(2)).ToArray());
    }
}
