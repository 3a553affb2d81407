using Generative.Distributions;
using Generative.Inference;

namespace Generative.Tests.Inference;

/// <summary>The samplers leave their target invariant (a statistical test with fixed seeds), find it from far away,
/// and refuse bad input.</summary>
public class McmcTests
{
    // The target: a 2-D Gaussian with means (1, -2), standard deviations 1 and 2 and correlation 0.8.
    private static readonly double[] Mean = [1, -2];
    private static readonly double[,] Covariance = { { 1, 1.6 }, { 1.6, 4 } };
    private static readonly MultivariateNormal Target = new(Mean, Covariance);

    private static double LogDensity(double[] z) => Target.LogProb(z);

    // ∇ log p(z) = −Σ⁻¹ (z − μ), with Σ⁻¹ written out for the 2×2 case.
    private static double[] Gradient(double[] z)
    {
        var determinant = Covariance[0, 0] * Covariance[1, 1] - Covariance[0, 1] * Covariance[1, 0];
        double dx = z[0] - Mean[0], dy = z[1] - Mean[1];
        return [-(Covariance[1, 1] * dx - Covariance[0, 1] * dy) / determinant, -(-Covariance[1, 0] * dx + Covariance[0, 0] * dy) / determinant];
    }

    public static TheoryData<string> Samplers => ["MetropolisHastings", "Mala"];

    private static McmcResult Run(string sampler, double[] start, int steps, Generator generator) => sampler == "Mala"
        ? Mcmc.Mala(LogDensity, Gradient, start, steps, stepSize: 0.9, generator)
        : Mcmc.MetropolisHastings(LogDensity, start, steps, stepSize: 1.5, generator);

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Sampler_ChainsStartedFromTheTarget_StayDistributedAsTheTarget(string sampler)
    {
        // 4,000 independent chains, each started from an exact draw of the target and run 5 steps: if the kernel leaves
        // the target invariant, the final states are again independent draws from it.
        const int chains = 4000;
        var generator = new Generator(17);
        var finals = Enumerable.Range(0, chains).Select(_ => Run(sampler, Target.Sample(generator), 5, generator).Samples[^1]).ToArray();

        for (var d = 0; d < 2; d++)
        {
            var values = finals.Select(z => z[d]).ToArray();
            var standardError = Math.Sqrt(Covariance[d, d] / chains);
            Assert.InRange(values.Average() - Mean[d], -4 * standardError, 4 * standardError);
            // The sample variance of n normal draws has standard deviation σ² √(2 / (n − 1)).
            var variance = values.Sum(v => (v - values.Average()) * (v - values.Average())) / (chains - 1);
            Assert.InRange(variance - Covariance[d, d], -4 * Covariance[d, d] * Math.Sqrt(2.0 / (chains - 1)), 4 * Covariance[d, d] * Math.Sqrt(2.0 / (chains - 1)));
        }
        var correlation = Correlation(finals);
        Assert.InRange(correlation, 0.8 - 4 * (1 - 0.64) / Math.Sqrt(chains), 0.8 + 4 * (1 - 0.64) / Math.Sqrt(chains));
    }

    [Fact]
    public void Sampler_WithoutTheAcceptanceTest_WouldNotBeInvariant_SoTheTestAboveCanFail()
    {
        // The unadjusted Langevin step (always accept) at this step size inflates the spread: the same statistics the
        // invariance test checks move far outside its bounds, so that test can tell a wrong kernel.
        const int chains = 4000;
        var generator = new Generator(17);
        var finals = Enumerable.Range(0, chains).Select(_ =>
        {
            var z = Target.Sample(generator);
            for (var step = 0; step < 5; step++)
            {
                var g = Gradient(z);
                z = [z[0] + 0.5 * 0.81 * g[0] + 0.9 * generator.Normal(), z[1] + 0.5 * 0.81 * g[1] + 0.9 * generator.Normal()];
            }
            return z;
        }).ToArray();
        var variance = finals.Select(z => z[0]).ToArray();
        var mean = variance.Average();
        Assert.True(variance.Sum(v => (v - mean) * (v - mean)) / (chains - 1) > 1 + 4 * Math.Sqrt(2.0 / (chains - 1)));
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Sampler_StartedFarAway_LongChainFindsTheTarget(string sampler)
    {
        var run = Run(sampler, [20, 20], 30_000, new Generator(3));
        var kept = run.Samples.Skip(2000).ToArray();
        Assert.InRange(kept.Average(z => z[0]), Mean[0] - 0.15, Mean[0] + 0.15);
        Assert.InRange(kept.Average(z => z[1]), Mean[1] - 0.3, Mean[1] + 0.3);
        Assert.InRange(Correlation(kept), 0.75, 0.85);
        Assert.InRange(run.AcceptanceRate, 0.2, 0.9);
    }

    [Fact]
    public void MetropolisHastings_StepSize_SetsTheAcceptanceRate()
    {
        var tiny = Mcmc.MetropolisHastings(LogDensity, Mean, 2000, 0.01, new Generator(1));
        var huge = Mcmc.MetropolisHastings(LogDensity, Mean, 2000, 100, new Generator(1));
        Assert.True(tiny.AcceptanceRate > 0.98, $"tiny steps: {tiny.AcceptanceRate}");
        Assert.True(huge.AcceptanceRate < 0.01, $"huge steps: {huge.AcceptanceRate}");
        // A rejected proposal repeats the state.
        Assert.Contains(huge.Samples.Zip(huge.Samples.Skip(1)), pair => ReferenceEquals(pair.First, pair.Second) || pair.First.SequenceEqual(pair.Second));
    }

    [Fact]
    public void Sampler_SameSeed_SameChain()
    {
        var first = Mcmc.Mala(LogDensity, Gradient, [0, 0], 200, 0.9, new Generator(5));
        var second = Mcmc.Mala(LogDensity, Gradient, [0, 0], 200, 0.9, new Generator(5));
        Assert.Equal(first.Samples.SelectMany(z => z), second.Samples.SelectMany(z => z));
    }

    [Fact]
    public void Sampler_BadInput_ClearErrors()
    {
        var zeroAtStart = Assert.Throws<ArgumentException>(() =>
            Mcmc.MetropolisHastings(z => z[0] > 0 ? 0 : double.NegativeInfinity, [-1.0], 10, 1, new Generator(1)));
        Assert.Contains("the log density at the start is -Infinity", zeroAtStart.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Mcmc.MetropolisHastings(LogDensity, Mean, 10, 0, new Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Mcmc.MetropolisHastings(LogDensity, Mean, 0, 1, new Generator(1)));
        Assert.Throws<ArgumentException>(() => Mcmc.MetropolisHastings(LogDensity, [double.NaN, 0], 10, 1, new Generator(1)));
        var gradient = Assert.Throws<ArgumentException>(() => Mcmc.Mala(LogDensity, _ => [1.0], Mean, 10, 1, new Generator(1)));
        Assert.Contains("the gradient has 1 entries for a 2-dimensional state", gradient.Message);
    }

    private static double Correlation(IReadOnlyList<double[]> points)
    {
        double meanX = points.Average(z => z[0]), meanY = points.Average(z => z[1]);
        double sxy = points.Sum(z => (z[0] - meanX) * (z[1] - meanY)), sxx = points.Sum(z => (z[0] - meanX) * (z[0] - meanX)), syy = points.Sum(z => (z[1] - meanY) * (z[1] - meanY));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
