using Generative.Distributions;
using Generative.Evaluation;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Evaluation;

public class GanTheoryTests
{
    private static Func<double, double> Density(Normal normal) => x => Math.Exp(normal.LogProb(x));

    [Fact]
    public void GameValue_ModelEqualsData_IsMinusLogFour()
    {
        var data = new GaussianMixture1D([0.3, 0.7], [-2, 1], [0.5, 0.8]);
        double DataDensity(double x) => Math.Exp(data.LogProb(x));

        Assert.Equal(-Math.Log(4), GanTheory.GameValue(DataDensity, DataDensity, -12, 12), 1e-9);
        Assert.Equal(0, GanTheory.JensenShannon(DataDensity, DataDensity, -12, 12), 1e-12);
    }

    [Theory]
    [InlineData(0.5, 1.0)]
    [InlineData(2.0, 0.6)]
    [InlineData(-1.0, 3.0)]
    public void GameValue_AnyModel_IsMinusLogFourPlusTwiceJensenShannon(double mean, double std)
    {
        var data = Density(new Normal(0, 1));
        var model = Density(new Normal(mean, std));

        var value = GanTheory.GameValue(data, model, -20, 20);
        var jsd = GanTheory.JensenShannon(data, model, -20, 20);

        Assert.Equal(-Math.Log(4) + 2 * jsd, value, 1e-9);
        Assert.True(value > -Math.Log(4));
        Assert.Equal(jsd, GanTheory.JensenShannon(model, data, -20, 20), 1e-12);
    }

    [Fact]
    public void JensenShannon_SmallShift_IsAnEighthOfTheShiftSquared()
    {
        // For a location family JSD(N(0, 1) ‖ N(δ, 1)) = δ² I / 8 + O(δ⁴) with Fisher information I = 1.
        const double delta = 0.05;
        var jsd = GanTheory.JensenShannon(Density(new Normal(0, 1)), Density(new Normal(delta, 1)), -12, 12);

        Assert.Equal(delta * delta / 8, jsd, delta * delta / 8 * 1e-2);
    }

    [Fact]
    public void JensenShannon_DisjointSupports_IsLogTwo()
    {
        // Two uniform densities on [0, 1] and [2, 3]; the grid puts nodes on every edge.
        double First(double x) => x is >= 0 and <= 1 ? 1 : 0;
        double Second(double x) => x is >= 2 and <= 3 ? 1 : 0;

        Assert.Equal(Math.Log(2), GanTheory.JensenShannon(First, Second, -1, 4, 50_000), 1e-3);
        Assert.Equal(0, GanTheory.GameValue(First, Second, -1, 4, 50_000), 1e-3);
    }

    [Fact]
    public void OptimalDiscriminator_TrainedDiscriminator_MatchesTheClosedForm()
    {
        // A small D trained on fresh draws from two known densities approaches p_data / (p_data + p_g).
        var (data, model) = (new Normal(-1, 0.5), new Normal(1, 1));
        var d = new Sequential(new Linear(1, 32, generator: new Generator(1)), new LeakyRelu(0.2f),
            new Linear(32, 32, generator: new Generator(2)), new LeakyRelu(0.2f), new Linear(32, 1, generator: new Generator(3)));
        var optimizer = new Adam(d.Parameters(), learningRate: 3e-3);
        var draws = new Generator(4);
        for (var step = 0; step < 1500; step++)
        {
            var real = Tensor.FromArray(data.Sample(256, draws).Select(v => (float)v).ToArray(), 256, 1);
            var fake = Tensor.FromArray(model.Sample(256, draws).Select(v => (float)v).ToArray(), 256, 1);
            optimizer.ZeroGrad();
            (Losses.BinaryCrossEntropyWithLogits(d.Forward(real), Tensor.OnesLike(real))
                + Losses.BinaryCrossEntropyWithLogits(d.Forward(fake), Tensor.ZerosLike(fake))).Backward();
            optimizer.Step();
        }

        double[] xs = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5];
        var learned = d.Forward(Tensor.FromArray(xs.Select(x => (float)x).ToArray(), xs.Length, 1)).Sigmoid().ToArray();
        for (var i = 0; i < xs.Length; i++)
        {
            var optimal = GanTheory.OptimalDiscriminator(Math.Exp(data.LogProb(xs[i])), Math.Exp(model.LogProb(xs[i])));
            Assert.True(Math.Abs(learned[i] - optimal) < 0.06, $"at x = {xs[i]}: trained {learned[i]:F4}, D* {optimal:F4}");
        }
    }

    [Fact]
    public void OptimalDiscriminator_BadDensities_AreNamed()
    {
        Assert.Equal(0.25, GanTheory.OptimalDiscriminator(1, 3));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => GanTheory.OptimalDiscriminator(-0.1, 1));
        Assert.Equal("dataDensity", negative.ParamName);
        var bothZero = Assert.Throws<ArgumentOutOfRangeException>(() => GanTheory.OptimalDiscriminator(0, 0));
        Assert.Contains("both densities are 0", bothZero.Message);
        var atX = Assert.Throws<ArgumentOutOfRangeException>(() => GanTheory.JensenShannon(_ => 1, x => x > 0 ? double.NaN : 1, -1, 1, 10));
        Assert.Contains("at x = 1 ", atX.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GanTheory.GameValue(_ => 1, _ => 1, 1, 1));
    }
}
