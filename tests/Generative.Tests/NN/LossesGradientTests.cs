using Generative.Tensors;
using Generative.Tests.Tensors;

namespace Generative.Tests.NN;

/// <summary>
/// Every loss and reduction in a table: forward against an independent double-precision formula, backward against
/// central finite differences of that formula (the same scheme as Tensors/OpGradientTests, which covers the
/// primitives the composite losses are built from; here the fused binary cross-entropies get their hand-derived
/// backward passes checked).
/// </summary>
public class LossesGradientTests
{
    /// <summary>Engine (float32) vs reference (double) forward values relative to max(1, |reference|): a loss is a
    /// dozen float32 terms each rounded a few times, and exp/log are within a few ulps (1e-7 relative); 1e-5 has
    /// two orders of magnitude of margin.</summary>
    private const double ForwardTolerance = 1e-5;

    /// <summary>Engine backward vs the finite-difference slope of the double reference, relative to max(1, |slope|):
    /// the quotient is accurate to about 1e-9 (step 1e-6 in double), the float32 gradient to about 1e-6.</summary>
    private const double GradientTolerance = 1e-4;

    private const double FiniteDifferenceStep = 1e-6;

    public static TheoryData<string> Names => LossCases.Names;

    private static double[][] ToDouble(Tensor[] inputs) => inputs.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_RandomInputs_MatchesReference(string name)
    {
        var inputs = LossCases.MakeInputs(name, requiresGrad: false);

        var actual = LossCases.Cases[name].Engine(inputs).ToArray();
        var expected = LossCases.Cases[name].Reference(ToDouble(inputs));

        GradientCheck.AssertClose(expected, actual, ForwardTolerance, name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_RandomWeights_MatchesCentralFiniteDifferences(string name)
    {
        var lossCase = LossCases.Cases[name];
        var inputs = LossCases.MakeInputs(name, requiresGrad: true);
        var output = lossCase.Engine(inputs);
        var weights = Tensor.Randn(output.Shape.ToArray(), new Generator(99));

        output.Backward(weights);

        var values = ToDouble(inputs);
        var w = weights.ToArray().Select(v => (double)v).ToArray();
        double Loss() => lossCase.Reference(values).Select((v, j) => v * w[j]).Sum();
        for (var k = 0; k < inputs.Length; k++)
        {
            if (!lossCase.Inputs[k].Differentiable)
            {
                Assert.Null(inputs[k].Grad);
                continue;
            }
            var slopes = GradientCheck.CentralDifferences(values[k], Loss, FiniteDifferenceStep);
            Assert.NotNull(inputs[k].Grad);
            Assert.Equal(inputs[k].Shape.ToArray(), inputs[k].Grad!.Shape.ToArray());
            GradientCheck.AssertClose(slopes, inputs[k].Grad!.ToArray(), GradientTolerance, $"{name}, input {k}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_InsideNoGrad_RecordsNothing(string name)
    {
        var inputs = LossCases.MakeInputs(name, requiresGrad: true);

        Tensor output;
        using (Tensor.NoGrad())
        {
            output = LossCases.Cases[name].Engine(inputs);
        }

        Assert.False(output.RequiresGrad);
        Assert.True(output.IsLeaf);
    }
}
