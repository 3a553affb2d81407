using Generative.Tests.Tensors;
using Xunit.Abstractions;

namespace TorchReference.Tests.Ops;

/// <summary>
/// Every row of the engine's gradient table (<see cref="OpCase.Table"/>, the rows OpGradientTests checks against finite
/// differences) against libtorch through TorchSharp: the same seeded float32 inputs into both engines, the forward
/// values and every input's gradient for the same seeded upstream gradient, within the row's named tolerance.
/// </summary>
[Collection(TorchGlobalGeneratorCollection.Name)]
public sealed class OpsAgainstTorchTests(ITestOutputHelper output)
{
    public static TheoryData<OpCase> Cases => OpCase.Table;

    [Fact]
    public void TorchOps_EveryTableRow_HasExactlyOneCounterpart()
    {
        var rows = OpCase.All.Select(c => c.Name).ToArray();

        var missing = rows.Where(name => !TorchOps.ByName.ContainsKey(name)).ToArray();
        var stale = TorchOps.ByName.Keys.Except(rows).ToArray();

        Assert.True(missing.Length == 0, "rows of OpCase.Table without a TorchSharp counterpart in TorchOps: " + string.Join("; ", missing));
        Assert.True(stale.Length == 0, "TorchOps entries naming no row of OpCase.Table: " + string.Join("; ", stale));
        Assert.Equal(rows.Length, rows.Distinct().Count());
    }

    [TorchTheory]
    [MemberData(nameof(Cases))]
    public void ForwardAndBackward_SeededInputs_MatchTorchSharp(OpCase op)
    {
        var comparison = OpComparison.Run(op, TorchOps.ByName[op.Name]);

        output.WriteLine($"{op.Name} (tolerance {comparison.Tolerance})");
        foreach (var difference in comparison.All)
        {
            output.WriteLine($"  {difference}, {difference.MaxScaled:g3} relative to max(1, |torch|)");
        }
        comparison.AssertWithinTolerance();
    }

    /// <summary>The whole table at once, ordered by how close each op comes to its tolerance: the report of the largest
    /// differences (run with a detailed console logger to read it).</summary>
    [TorchFact]
    public void AllRows_SeededInputs_LargestDifferencesWithinTolerance()
    {
        var comparisons = OpCase.All.Select(op => OpComparison.Run(op, TorchOps.ByName[op.Name])).ToArray();

        output.WriteLine(OpComparison.Report(comparisons));

        foreach (var comparison in comparisons)
        {
            comparison.AssertWithinTolerance();
        }
    }
}
