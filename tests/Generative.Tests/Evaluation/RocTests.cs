using Generative.Evaluation;

namespace Generative.Tests.Evaluation;

/// <summary>ROC AUC against its definition, counted over every (positive, negative) pair.</summary>
public class RocTests
{
    private static double PairCount(IReadOnlyList<double> negatives, IReadOnlyList<double> positives) =>
        positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0)) / (positives.Count * (double)negatives.Count);

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Auc_RandomScoresWithTies_EqualsThePairwiseDefinition(ulong seed)
    {
        var generator = new Generator(seed);
        // Scores on a coarse grid so that ties within and across groups are common.
        var negatives = Enumerable.Range(0, 37).Select(_ => (double)generator.NextInt(0, 10)).ToArray();
        var positives = Enumerable.Range(0, 23).Select(_ => (double)generator.NextInt(2, 12)).ToArray();

        Assert.Equal(PairCount(negatives, positives), Roc.Auc(negatives, positives), 1e-12);
    }

    [Fact]
    public void Auc_SeparatedReversedOrAllTied_IsOneZeroOrHalf()
    {
        Assert.Equal(1.0, Roc.Auc([1, 2, 3], [4, 5]));
        Assert.Equal(0.0, Roc.Auc([4, 5], [1, 2, 3]));
        Assert.Equal(0.5, Roc.Auc([7, 7], [7, 7, 7]));
    }

    [Fact]
    public void Curve_TrapezoidArea_EqualsAuc()
    {
        var generator = new Generator(4);
        var negatives = Enumerable.Range(0, 50).Select(_ => (double)generator.NextInt(0, 20)).ToArray();
        var positives = Enumerable.Range(0, 40).Select(_ => (double)generator.NextInt(5, 25)).ToArray();

        var (fpr, tpr) = Roc.Curve(negatives, positives);

        Assert.Equal((0.0, 0.0), (fpr[0], tpr[0]));
        Assert.Equal((1.0, 1.0), (fpr[^1], tpr[^1]));
        var area = Enumerable.Range(1, fpr.Length - 1).Sum(i => (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2);
        Assert.Equal(Roc.Auc(negatives, positives), area, 1e-12);
    }

    [Fact]
    public void Auc_EmptyGroupOrNaN_ThrowsNamingTheProblem()
    {
        Assert.Contains("0 negatives", Assert.Throws<ArgumentException>(() => Roc.Auc([], [1.0])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => Roc.Auc([double.NaN], [1.0])).Message);
    }
}
