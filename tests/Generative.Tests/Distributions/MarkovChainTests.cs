using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class MarkovChainTests
{
    private static MarkovChain RandomChain(int n, ulong seed)
    {
        var generator = new Generator(seed);
        return new MarkovChain(
            generator.NextDouble(),
            Enumerable.Range(0, n - 1).Select(_ => generator.NextDouble()).ToArray(),
            Enumerable.Range(0, n - 1).Select(_ => generator.NextDouble()).ToArray());
    }

    [Fact]
    public void LogProb_AllBinaryVectorsOfLengthEight_ExpSumsToOne()
    {
        const int n = 8;
        var chain = RandomChain(n, 17);

        var total = Enumerable.Range(0, 1 << n).Sum(bits => Math.Exp(chain.LogProb(IndependentBernoulliTests.ToBinary(bits, n))));

        Assert.Equal(1.0, total, Tolerance.ExhaustiveSum);
    }

    [Fact]
    public void LogProb_OneVector_EqualsProductOfTableEntries()
    {
        var chain = new MarkovChain(0.2, [0.3, 0.6], [0.9, 0.4]);
        int[] x = [1, 1, 0];

        // p(x0 = 1) p(x1 = 1 | x0 = 1) p(x2 = 0 | x1 = 1) = 0.2 * 0.9 * (1 - 0.4)
        Assert.Equal(Math.Log(0.2 * 0.9 * 0.6), chain.LogProb(x), Tolerance.ClosedForm);
        Assert.Equal(chain.LogProb(x), chain.LogProb(x.Select(v => (byte)v).ToArray()), Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_Samples_EqualsTransitionCounts()
    {
        byte[][] samples = [[1, 1, 0], [0, 1, 1], [0, 0, 1], [1, 1, 1]];

        var chain = MarkovChain.Fit(samples);

        Assert.Equal(2 / 4.0, chain.FirstProbs);
        // Position 1 after x0 = 0: samples 2, 3 -> ones 1 of 2; after x0 = 1: samples 1, 4 -> ones 2 of 2.
        // Position 2 after x1 = 0: sample 3 -> ones 1 of 1; after x1 = 1: samples 1, 2, 4 -> ones 2 of 3.
        Assert.Equal([1 / 2.0, 1.0], chain.ProbsAfterZero);
        Assert.Equal([1.0, 2 / 3.0], chain.ProbsAfterOne);
    }

    [Fact]
    public void Fit_Smoothing_AddsAlphaToEachTransition()
    {
        byte[][] samples = [[1, 1], [1, 1], [0, 1]];

        var chain = MarkovChain.Fit(samples, alpha: 1);

        Assert.Equal((2 + 1.0) / (3 + 2), chain.FirstProbs, Tolerance.ClosedForm);
        Assert.Equal((1 + 1.0) / (1 + 2), chain.ProbsAfterZero[0], Tolerance.ClosedForm);
        Assert.Equal((2 + 1.0) / (2 + 2), chain.ProbsAfterOne[0], Tolerance.ClosedForm);
    }

    [Fact]
    public void Fit_ThenSample_RecoversTransitionFrequencies()
    {
        var truth = new MarkovChain(0.5, [0.1, 0.2, 0.3], [0.9, 0.8, 0.7]);
        var samples = truth.Sample(40_000, new Generator(8)).Select(s => s.Select(v => (byte)v).ToArray()).ToArray();

        var fitted = MarkovChain.Fit(samples);

        var expected = truth.ProbsAfterZero.Concat(truth.ProbsAfterOne).ToArray();
        var actual = fitted.ProbsAfterZero.Concat(fitted.ProbsAfterOne).ToArray();
        for (var j = 0; j < expected.Length; j++)
        {
            // Each context is seen at least ~0.1 * 40,000 times, so SE <= sqrt(0.25 / 4000).
            Assert.Equal(expected[j], actual[j], Tolerance.StandardErrors * Math.Sqrt(0.25 / 4000));
        }
    }

    [Fact]
    public void ParameterCount_Always_IsTwoNMinusOne()
    {
        Assert.Equal(2 * 784 - 1, RandomChain(784, 1).ParameterCount);
        Assert.Equal(ParameterCounts.Markov(784), RandomChain(784, 1).ParameterCount);
    }

    [Fact]
    public void Constructor_TablesOfDifferentLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MarkovChain(0.5, [0.5], [0.5, 0.5]));
    }

    [Fact]
    public void LogProb_NonBinaryValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MarkovChain(0.5, [0.5], [0.5]).LogProb(new[] { 0, 3 }));
    }
}
