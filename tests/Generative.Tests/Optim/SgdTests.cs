using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

public class SgdTests
{
    /// <summary>Learning rate, momentum, weight decay, Nesterov: each variant's switches on their own and together.</summary>
    public static TheoryData<double, double, double, bool> Variants => new()
    {
        { 0.1, 0.0, 0.0, false },  // plain gradient descent
        { 0.05, 0.9, 0.0, false }, // heavy ball
        { 0.05, 0.9, 0.0, true },  // Nesterov
        { 0.1, 0.0, 0.1, false },  // L2 weight decay only
        { 0.05, 0.5, 0.05, false },
        { 0.03, 0.8, 0.2, true },  // everything at once
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Step_Quadratic_MatchesReferenceTrajectory(double learningRate, double momentum, double weightDecay, bool nesterov)
    {
        Trajectory.AssertMatches(
            parameters => new Sgd(parameters, learningRate, momentum, weightDecay, nesterov),
            () => new OptimizerReference.Sgd(learningRate, momentum, weightDecay, nesterov).Step);
    }

    [Fact]
    public void Step_FirstStepWithMomentum_EqualsPlainGradientStep()
    {
        // PyTorch initialises the momentum buffer with the first gradient (not with zeros), so step 1 is θ − γ g.
        var withMomentum = Tensor.FromArray([1f, -2f, 3f]);
        var plain = Tensor.FromArray([1f, -2f, 3f]);
        withMomentum.Grad = Tensor.FromArray([0.5f, 1f, -4f]);
        plain.Grad = Tensor.FromArray([0.5f, 1f, -4f]);

        new Sgd([withMomentum], 0.1, momentum: 0.9).Step();
        new Sgd([plain], 0.1).Step();

        Assert.Equal(plain.ToArray(), withMomentum.ToArray());
        Assert.Equal(new[] { 0.95f, -2.1f, 3.4f }, plain.ToArray());
    }

    [Fact]
    public void Step_WithWeightDecayAndMomentum_LeavesGradientUnchanged()
    {
        var parameter = Tensor.FromArray([1f, 2f]);
        parameter.Grad = Tensor.FromArray([0.25f, -0.5f]);
        var optimizer = new Sgd([parameter], 0.1, momentum: 0.9, weightDecay: 0.5, nesterov: true);

        optimizer.Step();
        optimizer.Step();

        Assert.Equal(new[] { 0.25f, -0.5f }, parameter.Grad!.ToArray());
    }

    [Fact]
    public void Step_LeastSquares_ConvergesToSolution()
    {
        var (inputs, targets, solution) = LeastSquares.Problem(seed: 5);
        var weights = Tensor.Zeros(3);
        weights.RequiresGrad = true;
        var optimizer = new Sgd([weights], 0.05, momentum: 0.9, nesterov: true);

        for (var step = 0; step < 300; step++)
        {
            optimizer.ZeroGrad();
            LeastSquares.Loss(inputs, targets, weights).Backward();
            optimizer.Step();
        }

        LeastSquares.AssertNear(solution, weights);
    }

    [Theory]
    [InlineData(-0.1, 0.0, 0.0, false)]
    [InlineData(double.NaN, 0.0, 0.0, false)]
    [InlineData(0.1, 1.0, 0.0, false)]
    [InlineData(0.1, -0.5, 0.0, false)]
    [InlineData(0.1, 0.0, -1.0, false)]
    [InlineData(0.1, 0.0, 0.0, true)]
    public void Constructor_InvalidHyperparameter_Throws(double learningRate, double momentum, double weightDecay, bool nesterov)
    {
        var parameter = Tensor.Zeros(2);

        Assert.ThrowsAny<ArgumentException>(() => new Sgd([parameter], learningRate, momentum, weightDecay, nesterov));
    }
}
