using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class IndependentBernoulliTests
{
    [Fact]
    public void LogProb_AllBinaryVectorsOfLengthTen_ExpSumsToOne()
    {
        const int n = 10;
        var generator = new Generator(5);
        var model = new IndependentBernoulli(Enumerable.Range(0, n).Select(_ => generator.NextDouble()).ToArray());

        var total = 0.0;
        for (var bits = 0; bits < 1 << n; bits++)
        {
            total += Math.Exp(model.LogProb(ToBinary(bits, n)));
        }

        Assert.Equal(1.0, total, Tolerance.ExhaustiveSum);
    }

    [Fact]
    public void LogProb_OneVector_EqualsSumOfScalarBernoulliLogProbs()
    {
        double[] probs = [0.1, 0.5, 0.9, 0.3];
        int[] x = [1, 0, 1, 1];
        var model = new IndependentBernoulli(probs);

        var expected = probs.Select((p, i) => new Bernoulli(p).LogProb(x[i])).Sum();

        Assert.Equal(expected, model.LogProb(x), Tolerance.ClosedForm);
        Assert.Equal(expected, model.LogProb(x.Select(v => (byte)v).ToArray()), Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_Samples_EqualsPerDimensionFrequencies()
    {
        byte[][] samples = [[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 0, 1]];

        var model = IndependentBernoulli.Fit(samples);
        var smoothed = IndependentBernoulli.Fit(samples, alpha: 1);

        Assert.Equal([3 / 4.0, 1 / 4.0, 3 / 4.0], model.Probs);
        Assert.Equal([4 / 6.0, 2 / 6.0, 4 / 6.0], smoothed.Probs);
        Assert.Equal(3, model.ParameterCount);
    }

    [Fact]
    public void Fit_NonBinaryPixel_ThrowsSayingBinarize()
    {
        var error = Assert.Throws<ArgumentException>(() => IndependentBernoulli.Fit([[0, 200]]));
        Assert.Contains("binarize", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Fit_RaggedSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => IndependentBernoulli.Fit([[0, 1], [0]]));
    }

    [Fact]
    public void LogProb_WrongLength_ThrowsNamingX()
    {
        var error = Assert.Throws<ArgumentException>(() => new IndependentBernoulli([0.5, 0.5]).LogProb(new int[3]));
        Assert.Equal("x", error.ParamName);
    }

    [Fact]
    public void Sample_ManyDraws_PerDimensionMeansWithinStandardErrors()
    {
        double[] probs = [0.05, 0.5, 0.8];
        var model = new IndependentBernoulli(probs);
        var samples = model.Sample(20_000, new Generator(3));

        for (var i = 0; i < probs.Length; i++)
        {
            var column = samples.Select(s => (double)s[i]).ToArray();
            Statistics.AssertMeanWithinStandardErrors(probs[i], probs[i] * (1 - probs[i]), column);
        }
    }

    [Fact]
    public void Entropy_Always_IsSumOfScalarEntropies()
    {
        double[] probs = [0.1, 0.5, 0.0];

        Assert.Equal(probs.Sum(p => new Bernoulli(p).Entropy), new IndependentBernoulli(probs).Entropy, Tolerance.ClosedForm);
    }

    internal static int[] ToBinary(int bits, int n) => Enumerable.Range(0, n).Select(i => (bits >> i) & 1).ToArray();
}
