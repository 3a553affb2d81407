using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class BernoulliTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.999)]
    [InlineData(1e-9)]
    public void LogProb_BothValues_MatchClosedForm(double p)
    {
        var bernoulli = new Bernoulli(p);

        Assert.Equal(Math.Log(p), bernoulli.LogProb(1), Tolerance.ClosedForm);
        Assert.Equal(Math.Log(1 - p), bernoulli.LogProb(0), Tolerance.ClosedForm);
        Assert.Equal(bernoulli.LogProb(1), bernoulli.LogProb(true));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(1.0)]
    public void LogProb_SumOverSupport_ExpIsOne(double p)
    {
        var bernoulli = new Bernoulli(p);

        Assert.Equal(1.0, Math.Exp(bernoulli.LogProb(0)) + Math.Exp(bernoulli.LogProb(1)), Tolerance.ExhaustiveSum);
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(0.0)]
    [InlineData(2.5)]
    public void FromLogits_ModerateLogits_AgreesWithProbs(double logits)
    {
        var fromLogits = Bernoulli.FromLogits(logits);
        var fromProbs = new Bernoulli(1 / (1 + Math.Exp(-logits)));

        Assert.Equal(fromProbs.Probs, fromLogits.Probs, Tolerance.ClosedForm);
        Assert.Equal(fromProbs.LogProb(1), fromLogits.LogProb(1), Tolerance.ClosedForm);
        Assert.Equal(fromProbs.LogProb(0), fromLogits.LogProb(0), Tolerance.ClosedForm);
        Assert.Equal(logits, fromProbs.Logits, 1e-9);
    }

    [Fact]
    public void FromLogits_LargeLogits_LogProbStaysFinite()
    {
        // sigmoid(-800) underflows to 0, but log sigmoid(-800) = -800 - log(1 + e^-800) is representable.
        var bernoulli = Bernoulli.FromLogits(-800);

        Assert.Equal(-800, bernoulli.LogProb(1), Tolerance.ClosedForm);
        Assert.Equal(0, bernoulli.LogProb(0), Tolerance.ClosedForm);
    }

    [Fact]
    public void MeanVarianceEntropy_Always_MatchClosedForms()
    {
        var bernoulli = new Bernoulli(0.2);

        Assert.Equal(0.2, bernoulli.Mean);
        Assert.Equal(0.16, bernoulli.Variance, Tolerance.ClosedForm);
        Assert.Equal(-(0.2 * Math.Log(0.2) + 0.8 * Math.Log(0.8)), bernoulli.Entropy, Tolerance.ClosedForm);
        Assert.Equal(0, new Bernoulli(0).Entropy);
    }

    [Fact]
    public void Fit_Counts_EqualsFrequency()
    {
        int[] values = [1, 0, 0, 1, 1, 1, 0, 1];

        Assert.Equal(5.0 / 8, Bernoulli.Fit(values).Probs, Tolerance.ClosedForm);
        Assert.Equal(5.0 / 8, Bernoulli.Fit(values.Select(v => v == 1)).Probs, Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_LaplaceSmoothing_AddsAlphaToEachOutcome()
    {
        int[] values = [1, 1, 1];

        Assert.Equal((3 + 1.0) / (3 + 2.0), Bernoulli.Fit(values, alpha: 1).Probs, Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_NonBinaryValue_ThrowsNamingValues()
    {
        var error = Assert.Throws<ArgumentException>(() => Bernoulli.Fit([0, 1, 2]));
        Assert.Equal("values", error.ParamName);
        Assert.Contains("[2]", error.Message);
    }

    [Fact]
    public void Fit_NoValuesNoSmoothing_Throws()
    {
        Assert.Throws<ArgumentException>(() => Bernoulli.Fit(Array.Empty<int>()));
        Assert.Equal(0.5, Bernoulli.Fit(Array.Empty<int>(), alpha: 1).Probs);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Constructor_InvalidProbs_ThrowsNamingProbs(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Bernoulli(p));
        Assert.Equal("probs", error.ParamName);
    }

    [Fact]
    public void LogProb_ValueTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bernoulli(0.5).LogProb(2));
    }

    [Fact]
    public void Sample_ManyDraws_MeanWithinStandardErrors()
    {
        var bernoulli = new Bernoulli(0.3);
        var samples = bernoulli.Sample(50_000, new Generator(1)).Select(x => (double)x).ToArray();

        Statistics.AssertMeanWithinStandardErrors(0.3, bernoulli.Variance, samples);
    }
}
