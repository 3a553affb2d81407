using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>
/// Every differentiable op in <see cref="OpCase.Table"/>: forward against the double-precision reference, and
/// backward (a vector-Jacobian product with random weights) against central finite differences of the reference.
/// </summary>
public class OpGradientTests
{
    /// <summary>Engine (float32) vs reference (double) forward values, relative to max(1, |reference|): float32 keeps
    /// 24 bits (6e-8 relative); the ops chain a few roundings, TensorPrimitives' exp/tanh/log are within a few ulps,
    /// and the longest sums have a few dozen terms, so 1e-5 leaves two orders of magnitude of margin.</summary>
    private const double ForwardTolerance = 1e-5;

    /// <summary>Engine backward (float32, through several ops for composites such as Var and Softmax) vs the
    /// finite-difference slope of the double reference, relative to max(1, |slope|). The difference quotient itself
    /// is accurate to about 1e-9 (step 1e-6 in double: truncation O(h^2), rounding O(1e-16 / h)).</summary>
    private const double GradientTolerance = 1e-4;

    private const double FiniteDifferenceStep = 1e-6;

    public static TheoryData<OpCase> Cases => OpCase.Table;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_RandomInputs_MatchesReference(OpCase op)
    {
        var inputs = op.MakeInputs(requiresGrad: false);

        var actual = op.Engine(inputs);
        var expected = op.Reference(inputs.Select(ToRef).ToArray());

        Assert.Equal(expected.Shape, actual.Shape);
        GradientCheck.AssertClose(expected.Data, actual.ToArray(), ForwardTolerance, op.Name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_RandomWeights_MatchesCentralFiniteDifferences(OpCase op)
    {
        var inputs = op.MakeInputs(requiresGrad: true);
        var output = op.Engine(inputs);
        var weights = Tensor.Randn(output.Shape, new Generator(99));

        // d(sum_j w_j out_j)/d input: Backward(gradient) takes the weights as d loss / d out.
        output.Backward(weights);

        var references = inputs.Select(ToRef).ToArray();
        var w = Array.ConvertAll(weights.ToArray(), v => (double)v);
        double Loss(Ref[] x) => op.Reference(x).Data.Select((v, j) => v * w[j]).Sum();
        for (var k = 0; k < inputs.Length; k++)
        {
            var slopes = GradientCheck.CentralDifferences(references[k].Data, () => Loss(references), FiniteDifferenceStep);
            Assert.NotNull(inputs[k].Grad);
            Assert.Equal(inputs[k].Shape, inputs[k].Grad!.Shape);
            GradientCheck.AssertClose(slopes, inputs[k].Grad!.ToArray(), GradientTolerance, $"{op.Name}, input {k}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_InsideNoGrad_RecordsNothing(OpCase op)
    {
        var inputs = op.MakeInputs(requiresGrad: true);

        Tensor output;
        using (Tensor.NoGrad())
        {
            output = op.Engine(inputs);
        }

        Assert.False(output.RequiresGrad);
        Assert.Null(output.GradFn);
        Assert.True(output.IsLeaf);
    }

    private static Ref ToRef(Tensor t) => Ref.Of(t.ToArray(), t.Shape);
}
