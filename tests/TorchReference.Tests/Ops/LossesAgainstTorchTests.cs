using Generative.Tests.NN;
using Xunit.Abstractions;

namespace TorchReference.Tests.Ops;

/// <summary>
/// Every row of the engine's loss table (<see cref="LossCases"/>, the rows LossesGradientTests checks against finite
/// differences; the binary cross-entropies have hand-written backward passes) against libtorch's own losses: the same
/// seeded inputs, the loss and the gradients of its differentiable inputs, within the row's named tolerance.
/// </summary>
public sealed class LossesAgainstTorchTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => LossCases.Names;

    [Fact]
    public void TorchLosses_EveryTableRow_HasExactlyOneCounterpart()
    {
        var missing = LossCases.Cases.Keys.Where(name => !TorchLosses.ByName.ContainsKey(name)).ToArray();
        var stale = TorchLosses.ByName.Keys.Except(LossCases.Cases.Keys).ToArray();

        Assert.True(missing.Length == 0, "rows of LossCases without a TorchSharp counterpart in TorchLosses: " + string.Join("; ", missing));
        Assert.True(stale.Length == 0, "TorchLosses entries naming no row of LossCases: " + string.Join("; ", stale));
    }

    [TorchTheory]
    [MemberData(nameof(Names))]
    public void LossAndGradients_SeededInputs_MatchTorchSharp(string name)
    {
        var comparison = Compare(name);

        output.WriteLine($"{name} (tolerance {comparison.Tolerance})");
        foreach (var difference in comparison.All)
        {
            output.WriteLine($"  {difference}, {difference.MaxScaled:g3} relative to max(1, |torch|)");
        }
        comparison.AssertWithinTolerance();
    }

    /// <summary>The whole table at once, the report of the largest differences (read it with a detailed console logger).</summary>
    [TorchFact]
    public void AllRows_SeededInputs_LargestDifferencesWithinTolerance()
    {
        var comparisons = LossCases.Cases.Keys.Select(Compare).ToArray();

        output.WriteLine(OpComparison.Report(comparisons));

        foreach (var comparison in comparisons)
        {
            comparison.AssertWithinTolerance();
        }
    }

    private static OpComparison Compare(string name) =>
        OpComparison.Run(name, LossCases.MakeInputs(name, requiresGrad: true), LossCases.Cases[name].Engine, TorchLosses.ByName[name]);
}
