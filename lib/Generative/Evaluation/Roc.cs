namespace Generative.Evaluation;

/// <summary>
/// The receiver operating characteristic of a score that should be higher for one group ("positives", e.g.
/// out-of-distribution inputs scored by their negative log-likelihood) than for another ("negatives", e.g. test images).
/// </summary>
/// <remarks>
/// The area under the curve equals the probability that a random positive scores higher than a random negative, ties
/// counting one half (the Mann-Whitney U statistic divided by the number of pairs): 1 separates perfectly, 0.5 is
/// chance. It is computed by sorting, in O((m + n) log(m + n)).
/// </remarks>
public static class Roc
{
    /// <summary>The area under the ROC curve: P(positive score &gt; negative score) + ½ P(equal).</summary>
    /// <exception cref="ArgumentException">A group is empty or holds NaN.</exception>
    public static double Auc(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var scored = Merge(negatives, positives);
        // Sum of the positives' ranks, ties getting the mean of their ranks (1-based).
        double rankSum = 0;
        for (var i = 0; i < scored.Length;)
        {
            var j = i;
            while (j < scored.Length && scored[j].Score == scored[i].Score) j++;
            var meanRank = (i + 1 + j) / 2.0;
            for (var k = i; k < j; k++)
            {
                if (scored[k].Positive) rankSum += meanRank;
            }
            i = j;
        }
        double m = positives.Count, n = negatives.Count;
        return (rankSum - m * (m + 1) / 2) / (m * n);
    }

    /// <summary>The curve itself: (false positive rate, true positive rate) at every threshold, from (0, 0) to (1, 1),
    /// flagging a score as positive when it is at least the threshold.</summary>
    /// <exception cref="ArgumentException">A group is empty or holds NaN.</exception>
    public static (double[] FalsePositiveRates, double[] TruePositiveRates) Curve(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        var scored = Merge(negatives, positives);
        Array.Reverse(scored); // highest scores first: lowering the threshold adds them one group of ties at a time
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int truePositives = 0, falsePositives = 0;
        for (var i = 0; i < scored.Length;)
        {
            var j = i;
            while (j < scored.Length && scored[j].Score == scored[i].Score)
            {
                if (scored[j].Positive) truePositives++;
                else falsePositives++;
                j++;
            }
            fpr.Add(falsePositives / (double)negatives.Count);
            tpr.Add(truePositives / (double)positives.Count);
            i = j;
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    private static (double Score, bool Positive)[] Merge(IReadOnlyList<double> negatives, IReadOnlyList<double> positives)
    {
        ArgumentNullException.ThrowIfNull(negatives);
        ArgumentNullException.ThrowIfNull(positives);
        if (negatives.Count == 0 || positives.Count == 0)
        {
            throw new ArgumentException(
                $"Roc: both groups need at least one score, got {negatives.Count} negatives and {positives.Count} positives.");
        }
        var scored = negatives.Select(s => (Score: s, Positive: false)).Concat(positives.Select(s => (Score: s, Positive: true))).ToArray();
        if (scored.Any(s => double.IsNaN(s.Score)))
        {
            throw new ArgumentException("Roc: a score is NaN; scores must be comparable numbers.");
        }
        Array.Sort(scored, (a, b) => a.Score.CompareTo(b.Score));
        return scored;
    }
}
