using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class CategoricalTests
{
    [Fact]
    public void LogProb_EachCategory_IsLogOfNormalisedWeight()
    {
        var categorical = new Categorical([1, 3, 4]);

        Assert.Equal(Math.Log(1 / 8.0), categorical.LogProb(0), Tolerance.ClosedForm);
        Assert.Equal(Math.Log(3 / 8.0), categorical.LogProb(1), Tolerance.ClosedForm);
        Assert.Equal(Math.Log(4 / 8.0), categorical.LogProb(2), Tolerance.ClosedForm);
    }

    [Fact]
    public void LogProb_SumOverSupport_ExpIsOne()
    {
        var generator = new Generator(9);
        var categorical = new Categorical(Enumerable.Range(0, 10).Select(_ => generator.NextDouble()).ToArray());

        Assert.Equal(1.0, Enumerable.Range(0, 10).Sum(k => Math.Exp(categorical.LogProb(k))), Tolerance.ExhaustiveSum);
    }

    [Fact]
    public void FromLogits_Logits_IsSoftmax()
    {
        double[] logits = [0.5, -1, 2, 700]; // 700 would overflow a naive exp
        var categorical = FromLogitsReference(logits);

        var actual = Categorical.FromLogits(logits);

        for (var k = 0; k < logits.Length; k++)
        {
            Assert.Equal(categorical[k], actual.LogProb(k), Tolerance.ClosedForm);
        }
    }

    [Fact]
    public void FromLogits_TwoCategories_MatchesBernoulliFromLogitDifference()
    {
        var categorical = Categorical.FromLogits([0.0, 1.7]);
        var bernoulli = Bernoulli.FromLogits(1.7);

        Assert.Equal(bernoulli.LogProb(1), categorical.LogProb(1), Tolerance.ClosedForm);
        Assert.Equal(bernoulli.LogProb(0), categorical.LogProb(0), Tolerance.ClosedForm);
        Assert.Equal(bernoulli.Entropy, categorical.Entropy, Tolerance.ClosedForm);
    }

    [Fact]
    public void Entropy_Uniform_IsLogK()
    {
        Assert.Equal(Math.Log(6), new Categorical([1, 1, 1, 1, 1, 1]).Entropy, Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_Values_EqualsCountsOverTotal()
    {
        int[] values = [0, 2, 2, 3, 2, 0];

        var categorical = Categorical.Fit(values, categoryCount: 4);
        var smoothed = Categorical.Fit(values, categoryCount: 4, alpha: 1);

        Assert.Equal([2 / 6.0, 0, 3 / 6.0, 1 / 6.0], categorical.Probs);
        Assert.Equal([3 / 10.0, 1 / 10.0, 4 / 10.0, 2 / 10.0], smoothed.Probs.Select(p => Math.Round(p, 15)));
        Assert.Equal(3, categorical.ParameterCount);
    }

    [Fact]
    public void Fit_ValueOutsideRange_ThrowsNamingValues()
    {
        var error = Assert.Throws<ArgumentException>(() => Categorical.Fit([0, 4], categoryCount: 4));
        Assert.Equal("values", error.ParamName);
    }

    [Fact]
    public void Constructor_InvalidProbs_ThrowsNamingProbs()
    {
        Assert.Equal("probs", Assert.Throws<ArgumentException>(() => new Categorical([0.5, -0.5])).ParamName);
        Assert.Equal("probs", Assert.Throws<ArgumentException>(() => new Categorical([0.0, 0.0])).ParamName);
        Assert.Equal("probs", Assert.Throws<ArgumentException>(() => new Categorical([double.NaN])).ParamName);
    }

    [Fact]
    public void Sample_ManyDraws_FrequenciesWithinStandardErrors()
    {
        var categorical = new Categorical([0.2, 0.5, 0.3]);
        const int count = 30_000;
        var samples = categorical.Sample(count, new Generator(4));

        for (var k = 0; k < 3; k++)
        {
            var p = categorical.Probs[k];
            var indicator = samples.Select(s => s == k ? 1.0 : 0.0).ToArray();
            Statistics.AssertMeanWithinStandardErrors(p, p * (1 - p), indicator);
        }
    }

    private static double[] FromLogitsReference(double[] logits)
    {
        // Independent reference: shift by the maximum by hand, then normalise.
        var max = logits.Max();
        var logNormalizer = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return logits.Select(l => l - logNormalizer).ToArray();
    }
}
