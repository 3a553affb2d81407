using Generative.Distributions;

namespace Generative.Tests.Distributions;

/// <summary>The 1-D mixture: its density and posterior against Bayes' rule by hand, and EM against its guarantees.</summary>
public class GaussianMixture1DTests
{
    private static readonly GaussianMixture1D Truth = new([0.3, 0.7], [-2, 1.5], [0.5, 1]);

    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.3)]
    [InlineData(40.0)] // far from both: the direct sum underflows, log-sum-exp does not
    public void LogProbAndResponsibilities_AgreeWithBayesRuleByHand(double x)
    {
        double[] joint = [Math.Log(0.3) + new Normal(-2, 0.5).LogProb(x), Math.Log(0.7) + new Normal(1.5, 1).LogProb(x)];
        var top = joint.Max();
        var logEvidence = top + Math.Log(joint.Sum(j => Math.Exp(j - top)));
        Assert.Equal(logEvidence, Truth.LogProb(x), 1e-12);
        var responsibilities = Truth.Responsibilities(x);
        Assert.Equal(joint.Select(j => Math.Exp(j - logEvidence)), responsibilities, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1, responsibilities.Sum(), 1e-12);
    }

    [Fact]
    public void LogProb_IntegratesToOne()
    {
        var xs = Enumerable.Range(0, 20001).Select(i => -10 + i * 0.001).ToArray();
        var integral = 0.001 * xs.Sum(x => Math.Exp(Truth.LogProb(x)));
        Assert.Equal(1, integral, 1e-6);
    }

    [Fact]
    public void FitEm_FromAPoorStart_LikelihoodNeverFallsAndTheTruthIsRecovered()
    {
        var (values, _) = Truth.Sample(5000, new Generator(8));
        var iterates = GaussianMixture1D.FitEm(values, new GaussianMixture1D([0.5, 0.5], [-0.5, 0.5], [3, 3]), iterations: 200);
        var logLikelihoods = iterates.Select(m => m.MeanLogLikelihood(values)).ToArray();
        for (var i = 1; i < logLikelihoods.Length; i++)
        {
            Assert.True(logLikelihoods[i] >= logLikelihoods[i - 1] - 1e-12, $"iteration {i}: {logLikelihoods[i - 1]} -> {logLikelihoods[i]}");
        }
        var fitted = iterates[^1];
        Assert.Equal(201, iterates.Count);
        Assert.Equal([0.3, 0.7], fitted.Weights, (a, b) => Math.Abs(a - b) < 0.02);
        Assert.Equal([-2, 1.5], fitted.Means, (a, b) => Math.Abs(a - b) < 0.06);
        Assert.Equal([0.5, 1], fitted.Stds, (a, b) => Math.Abs(a - b) < 0.05);
    }

    [Fact]
    public void FitEm_OneComponent_IsTheGaussianMle()
    {
        var values = new Normal(3, 2).Sample(300, new Generator(4));
        var fitted = GaussianMixture1D.FitEm(values, new GaussianMixture1D([1], [0], [1]), 1)[^1];
        var mle = Normal.Fit(values);
        Assert.Equal(mle.Mean, fitted.Means[0], 1e-12);
        Assert.Equal(mle.Std, fitted.Stds[0], 1e-12);
    }

    [Fact]
    public void Constructor_BadParameters_NameTheComponent()
    {
        Assert.Contains("std 1 is 0", Assert.Throws<ArgumentException>(() => new GaussianMixture1D([0.5, 0.5], [0, 1], [1, 0])).Message);
        Assert.Contains("mean 0 is NaN", Assert.Throws<ArgumentException>(() => new GaussianMixture1D([1], [double.NaN], [1])).Message);
        Assert.Contains("got 2, 1 and 2", Assert.Throws<ArgumentException>(() => new GaussianMixture1D([0.5, 0.5], [0], [1, 1])).Message);
    }
}

/// <summary>The closed-form Gaussian KL against a Monte Carlo estimate of its definition.</summary>
public class NormalKlDivergenceTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.0, 1.0)]
    [InlineData(1.36, 0.447, 0.0, 1.0)]
    [InlineData(-1.0, 2.0, 0.5, 0.7)]
    public void KlDivergence_MatchesMonteCarloWithinFourStandardErrors(double meanP, double stdP, double meanQ, double stdQ)
    {
        var p = new Normal(meanP, stdP);
        var q = new Normal(meanQ, stdQ);
        var terms = p.Sample(200_000, new Generator(12)).Select(x => p.LogProb(x) - q.LogProb(x)).ToArray();
        var mean = terms.Average();
        var standardError = Math.Sqrt(terms.Sum(t => (t - mean) * (t - mean)) / (terms.Length - 1) / terms.Length);
        var closedForm = Normal.KlDivergence(p, q);
        Assert.InRange(closedForm, mean - 4 * standardError - 1e-12, mean + 4 * standardError + 1e-12);
        Assert.True(closedForm >= 0);
    }

    [Fact]
    public void KlDivergence_NotSymmetric()
    {
        var p = new Normal(0, 1);
        var q = new Normal(1, 3);
        Assert.NotEqual(Normal.KlDivergence(p, q), Normal.KlDivergence(q, p), 1e-3);
        Assert.Equal(0, Normal.KlDivergence(q, q), 1e-15);
    }
}
