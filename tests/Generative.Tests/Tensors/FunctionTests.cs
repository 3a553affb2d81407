using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>The engine's extension point: a hand-written op's gradient against central finite differences, and the
/// rules a learner's Function must follow, each broken once.</summary>
public class FunctionTests
{
    /// <summary>Finite differences in double precision: float32 forward values carry ~1e-7 relative error.</summary>
    private const double FiniteDifferenceTolerance = 1e-6;

    /// <summary>f(x, w) = Σ_j w_j x_j³ per row, with ∂f/∂x = 3 w x² and ∂f/∂w = Σ_rows x³, written by hand.</summary>
    private sealed class WeightedCubeSum : Function
    {
        private Tensor? _x, _w;

        protected override Tensor Forward(Tensor[] inputs)
        {
            (_x, _w) = (inputs[0], inputs[1]);
            return (_x * _x * _x * _w).Sum(1);
        }

        protected override Tensor?[] Backward(Tensor gradOutput)
        {
            var g = gradOutput.Unsqueeze(1);
            Tensor? gradX = NeedsInputGrad(0) ? g * 3f * _x! * _x! * _w! : null;
            Tensor? gradW = null;
            if (NeedsInputGrad(1))
            {
                gradW = NewGradient(1);
                gradW.CopyFrom((g * _x! * _x! * _x!).Sum(0));   // an engine-owned buffer: kept without a copy
            }
            return [gradX, gradW];
        }
    }

    [Fact]
    public void Apply_WeightedCubeSum_GradientsMatchFiniteDifferences()
    {
        double[] x = [0.5, -1.25, 2.0, 0.75, -0.3, 1.1], w = [0.4, -2.0, 1.5];
        double[] rowWeights = [0.7, -1.3];
        double Loss() => Enumerable.Range(0, 2).Sum(n => rowWeights[n] * Enumerable.Range(0, 3).Sum(j => w[j] * Math.Pow(x[n * 3 + j], 3)));

        var xt = Tensor.FromArray(x.Select(v => (float)v).ToArray(), 2, 3);
        var wt = Tensor.FromArray(w.Select(v => (float)v).ToArray(), 3);
        xt.RequiresGrad = wt.RequiresGrad = true;
        var y = new WeightedCubeSum().Apply(xt, wt);
        Assert.Equal("WeightedCubeSum", y.GradFn);
        (y * Tensor.FromArray(rowWeights.Select(v => (float)v).ToArray(), 2)).Sum().Backward();

        GradientCheck.AssertClose(GradientCheck.CentralDifferences(x, Loss, 1e-5), xt.Grad!.ToArray(), FiniteDifferenceTolerance, "dL/dx");
        GradientCheck.AssertClose(GradientCheck.CentralDifferences(w, Loss, 1e-5), wt.Grad!.ToArray(), FiniteDifferenceTolerance, "dL/dw");
    }

    [Fact]
    public void Apply_TwiceThroughOneGraphAndIntoAnotherOp_GradientsAccumulate()
    {
        // The owned dW buffer becomes wt.Grad; the second pass must add to it, not corrupt the saved tensors.
        var xt = Tensor.FromArray([1f, 2f, 3f], 1, 3);
        var wt = Tensor.FromArray([1f, 1f, 1f], 3);
        wt.RequiresGrad = true;
        var loss = new WeightedCubeSum().Apply(xt, wt).Sum() + wt.Sum();
        loss.Backward();
        loss.Backward();
        Assert.Equal([4f, 18f, 56f], wt.Grad!.ToArray());   // 2 (x³ + 1)
        Assert.Null(xt.Grad);
    }

    [Fact]
    public void Apply_NoInputRequiresGradOrNoGradScope_RecordsNothing()
    {
        var x = Tensor.FromArray([2f], 1, 1);
        Assert.Null(new WeightedCubeSum().Apply(x, Tensor.FromArray([3f], 1)).GradFn);
        x.RequiresGrad = true;
        using (Tensor.NoGrad())
        {
            var y = new WeightedCubeSum().Apply(x, Tensor.FromArray([3f], 1));
            Assert.Null(y.GradFn);
            Assert.Equal(24f, y.Item());
        }
    }

    private sealed class Identity : Function
    {
        protected override Tensor Forward(Tensor[] inputs) => inputs[0];

        protected override Tensor?[] Backward(Tensor gradOutput) => [gradOutput];
    }

    [Fact]
    public void Apply_ForwardReturnsItsInput_RecordsOnANewTensorAndPassesTheGradientThrough()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var y = new Identity().Apply(x);
        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        (y * y).Sum().Backward();
        Assert.Equal([2f, 4f], x.Grad!.ToArray());
    }

    private sealed class Broken(Func<Tensor, Tensor?[]> backward) : Function
    {
        public override string Name => "Broken";

        protected override Tensor Forward(Tensor[] inputs) => inputs[0] * 2f;

        protected override Tensor?[] Backward(Tensor gradOutput) => backward(gradOutput);
    }

    [Fact]
    public void Backward_WrongCountOrShape_ThrowsNamingTheFunctionAndInput()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var count = Assert.Throws<InvalidOperationException>(() => new Broken(g => [g, g]).Apply(x).Sum().Backward());
        Assert.Contains("Broken", count.Message);
        Assert.Contains("2 gradient(s) for 1 input(s)", count.Message);
        var shape = Assert.Throws<InvalidOperationException>(() => new Broken(g => [g.Sum()]).Apply(x).Sum().Backward());
        Assert.Contains("input 0 has shape (2)", shape.Message);
    }

    [Fact]
    public void Apply_SameObjectTwice_ThrowsBecauseItHoldsTheFirstCallsState()
    {
        var function = new Identity();
        function.Apply(Tensor.Zeros(1));
        var error = Assert.Throws<InvalidOperationException>(() => function.Apply(Tensor.Zeros(1)));
        Assert.Contains("create a new one for each Apply", error.Message);
    }
}
