namespace Generative.Evaluation;

/// <summary>
/// How well an unsupervised code (InfoGAN's categorical code, a cluster index) matches known classes: the share of
/// examples whose code maps to their class under the one-to-one map from codes to classes that makes the most agree.
/// A code learned without labels has no reason to number the classes as the dataset does, so the map is searched.
/// </summary>
public static class CodeAgreement
{
    /// <summary>The best one-to-one map's agreement and the map itself (<c>Mapping[code]</c> = class).</summary>
    /// <param name="codes">One code in [0, count) per example.</param>
    /// <param name="classes">One class in [0, count) per example.</param>
    /// <param name="count">The number of codes and of classes (at most 10: every one of the count! maps is tried).</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a value is out of range, or count is
    /// not in [1, 10].</exception>
    public static (double Agreement, int[] Mapping) BestMatching(IReadOnlyList<int> codes, IReadOnlyList<int> classes, int count)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 10);
        if (codes.Count != classes.Count || codes.Count == 0)
        {
            throw new ArgumentException($"CodeAgreement: {codes.Count} codes and {classes.Count} classes; give one of each per example.", nameof(classes));
        }
        var counts = new int[count, count];
        for (var n = 0; n < codes.Count; n++)
        {
            if ((uint)codes[n] >= (uint)count || (uint)classes[n] >= (uint)count)
            {
                throw new ArgumentException($"CodeAgreement: example {n} has code {codes[n]} and class {classes[n]}; both must lie in [0, {count}).", nameof(codes));
            }
            counts[codes[n], classes[n]]++;
        }
        var (best, bestMapping) = (-1, Array.Empty<int>());
        var used = new bool[count];
        var current = new int[count];
        // Depth-first over the maps, code by code; 10! = 3.6 million leaves take well under a second.
        void Search(int code, int total)
        {
            if (code == count)
            {
                if (total > best)
                {
                    (best, bestMapping) = (total, (int[])current.Clone());
                }
                return;
            }
            for (var c = 0; c < count; c++)
            {
                if (!used[c])
                {
                    (used[c], current[code]) = (true, c);
                    Search(code + 1, total + counts[code, c]);
                    used[c] = false;
                }
            }
        }
        Search(0, 0);
        return ((double)best / codes.Count, bestMapping);
    }
}
