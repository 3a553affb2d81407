using System.Numerics;
using Generative.Distributions;

namespace Generative.Tests.Distributions;

public class ParameterCountsTests
{
    [Fact]
    public void Fvsbn_784Pixels_Is307720()
    {
        Assert.Equal(307_720, ParameterCounts.Fvsbn(784));
    }

    [Fact]
    public void FullJoint_784Pixels_Has237Digits()
    {
        var count = ParameterCounts.FullJoint(784);

        Assert.Equal(BigInteger.Pow(2, 784) - 1, count);
        Assert.Equal(237, count.ToString().Length);
        Assert.Equal(BigInteger.Log10(count + 1), ParameterCounts.Log10FullJoint(784), 1e-9);
    }

    [Fact]
    public void SimpleCounts_784Pixels_MatchFormulas()
    {
        Assert.Equal(784, ParameterCounts.Independent(784));
        Assert.Equal(2 * 784 - 1, ParameterCounts.Markov(784));
        Assert.Equal(ParameterCounts.FullJoint(784), ParameterCounts.ChainRule(784));
    }

    public static TheoryData<int, int> SmallTables => new() { { 1, 2 }, { 2, 2 }, { 5, 2 }, { 8, 2 }, { 3, 3 }, { 4, 4 } };

    [Theory]
    [MemberData(nameof(SmallTables))]
    public void FullJoint_SmallTable_EqualsEnumeratedConfigurationsMinusOne(int n, int k)
    {
        // One probability per configuration of n k-valued variables, minus one for the sum-to-one constraint.
        var configurations = Configurations(n, k).Count();

        Assert.Equal(configurations - 1, (long)ParameterCounts.FullJoint(n, k));
    }

    [Theory]
    [MemberData(nameof(SmallTables))]
    public void ChainRule_SmallTable_EqualsFreeEntriesOfEveryConditionalTable(int n, int k)
    {
        // p(x_i | x_1..x_{i-1}) has one row per context (each assignment of the earlier variables), k - 1 free
        // entries per row. Count the contexts by enumerating them.
        long free = 0;
        for (var i = 1; i <= n; i++)
        {
            free += Configurations(i - 1, k).Count() * (k - 1);
        }

        Assert.Equal(free, (long)ParameterCounts.ChainRule(n, k));
    }

    [Theory]
    [MemberData(nameof(SmallTables))]
    public void Markov_SmallTable_EqualsFreeEntriesOfFirstAndTransitionTables(int n, int k)
    {
        // p(x_1): k - 1 free; p(x_i | x_{i-1}) for i >= 2: one row per value of x_{i-1}, k - 1 free per row.
        long free = k - 1;
        for (var i = 2; i <= n; i++)
        {
            free += Enumerable.Range(0, k).Count() * (k - 1);
        }

        Assert.Equal(free, ParameterCounts.Markov(n, k));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    public void Fvsbn_SmallN_EqualsBiasPlusWeightsOfEachLogisticRegression(int n)
    {
        // Variable i (1-based) is a logistic regression on x_1..x_{i-1}: one bias and i - 1 weights.
        long weightsAndBiases = 0;
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j < i; j++)
            {
                weightsAndBiases++; // w_ij
            }
            weightsAndBiases++; // b_i
        }

        Assert.Equal(weightsAndBiases, ParameterCounts.Fvsbn(n));
    }

    [Theory]
    [InlineData(5, 2)]
    [InlineData(6, 3)]
    public void Independent_SmallN_EqualsModelParameterCount(int n, int k)
    {
        Assert.Equal(n * (k - 1), ParameterCounts.Independent(n, k));
        if (k == 2)
        {
            Assert.Equal(new IndependentBernoulli(new double[n]).ParameterCount, ParameterCounts.Independent(n));
        }
    }

    [Fact]
    public void Format_SmallAndHugeCounts_AreReadable()
    {
        Assert.Equal("307,720", ParameterCounts.Format(307_720));
        Assert.Equal("1.02e236 (237 digits)", ParameterCounts.Format(ParameterCounts.FullJoint(784)));
    }

    [Fact]
    public void FullJoint_NonPositiveN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParameterCounts.FullJoint(0));
    }

    private static IEnumerable<int[]> Configurations(int n, int k)
    {
        var current = new int[n];
        while (true)
        {
            yield return (int[])current.Clone();
            var position = 0;
            while (position < n && ++current[position] == k)
            {
                current[position++] = 0;
            }
            if (position == n)
            {
                yield break;
            }
        }
    }
}
