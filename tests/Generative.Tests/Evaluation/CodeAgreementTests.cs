using Generative.Evaluation;

namespace Generative.Tests.Evaluation;

public class CodeAgreementTests
{
    [Fact]
    public void BestMatching_PermutedLabels_AgreeFullyAndRecoverThePermutation()
    {
        int[] permutation = [3, 0, 4, 1, 2];
        var codes = Enumerable.Range(0, 50).Select(n => n % 5).ToArray();
        var classes = codes.Select(c => permutation[c]).ToArray();

        var (agreement, mapping) = CodeAgreement.BestMatching(codes, classes, 5);

        Assert.Equal(1.0, agreement);
        Assert.Equal(permutation, mapping);
    }

    [Fact]
    public void BestMatching_GreedyChoiceIsWrong_FindsTheBestMap()
    {
        // Counts: code 0 → class 0 five times, class 1 four times; code 1 → class 0 four times. Giving code 0 its
        // commonest class (0) leaves code 1 with class 1 and 5 agreements; the best map swaps them: 4 + 4 = 8 of 13.
        var pairs = Enumerable.Repeat((0, 0), 5).Concat(Enumerable.Repeat((0, 1), 4)).Concat(Enumerable.Repeat((1, 0), 4)).ToArray();

        var (agreement, mapping) = CodeAgreement.BestMatching(pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray(), 2);

        Assert.Equal(8.0 / 13, agreement, 1e-12);
        Assert.Equal([1, 0], mapping);
    }

    [Fact]
    public void BestMatching_BadInput_IsNamed()
    {
        Assert.Contains("2 codes and 1 classes", Assert.Throws<ArgumentException>(() => CodeAgreement.BestMatching([0, 1], [0], 2)).Message);
        Assert.Contains("example 1 has code 2", Assert.Throws<ArgumentException>(() => CodeAgreement.BestMatching([0, 2], [0, 1], 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeAgreement.BestMatching([0], [0], 11));
    }
}
