using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

public class AdamWTests
{
    /// <summary>Learning rate, β₁, β₂, ε, decoupled weight decay.</summary>
    public static TheoryData<double, double, double, double, double> Hyperparameters => new()
    {
        { 1e-3, 0.9, 0.999, 1e-8, 0.01 }, // PyTorch's defaults
        { 0.05, 0.9, 0.999, 1e-8, 0.5 },  // strong decay
        { 0.1, 0.5, 0.9, 1e-8, 0.1 },
        { 0.05, 0.9, 0.999, 1e-8, 0.0 },  // no decay: plain Adam
    };

    [Theory]
    [MemberData(nameof(Hyperparameters))]
    public void Step_Quadratic_MatchesLoshchilovHutterAlgorithm2(double learningRate, double beta1, double beta2, double eps, double weightDecay)
    {
        Trajectory.AssertMatches(
            parameters => new AdamW(parameters, learningRate, beta1, beta2, eps, weightDecay),
            () => new OptimizerReference.Adam(learningRate, beta1, beta2, eps, weightDecay, decoupled: true).Step);
    }

    [Fact]
    public void Step_ZeroGradient_ShrinksByLearningRateTimesWeightDecay()
    {
        // With g = 0 the Adam term is 0 / (0 + ε) = 0, so only the decoupled decay acts: θ ← θ (1 − α λ).
        var parameter = Tensor.FromArray([2f, -4f]);
        var optimizer = new AdamW([parameter], learningRate: 0.1, weightDecay: 0.5);

        for (var step = 0; step < 3; step++)
        {
            parameter.Grad = Tensor.Zeros(2);
            optimizer.Step();
        }

        Assert.Equal(2 * Math.Pow(0.95, 3), parameter.ToArray()[0], 1e-6);
        Assert.Equal(-4 * Math.Pow(0.95, 3), parameter.ToArray()[1], 1e-6);
    }

    [Fact]
    public void Step_LargeGradients_DecayIsNotRescaledUnlikeAdamL2()
    {
        // Adam's L2 term λθ is divided by √v̂ like the gradient, so beside a large gradient it almost vanishes; AdamW's
        // decay does not depend on the gradient. Same λ, same gradient: AdamW moves the weight further.
        var adamParameter = Tensor.FromArray([1f]);
        var adamWParameter = Tensor.FromArray([1f]);
        var adam = new Adam([adamParameter], learningRate: 0.01, weightDecay: 0.1);
        var adamW = new AdamW([adamWParameter], learningRate: 0.01, weightDecay: 0.1);

        adamParameter.Grad = Tensor.FromArray([100f]);
        adamWParameter.Grad = Tensor.FromArray([100f]);
        adam.Step();
        adamW.Step();

        // Adam: 1 − 0.01 (100.1 / 100.1) = 0.99; AdamW: 1 (1 − 0.001) − 0.01 = 0.989.
        Assert.Equal(0.99, adamParameter.ToArray()[0], 1e-6);
        Assert.Equal(0.989, adamWParameter.ToArray()[0], 1e-6);
    }

    [Fact]
    public void Constructor_Defaults_MatchPyTorch()
    {
        var optimizer = new AdamW([Tensor.Zeros(1)]);

        Assert.Equal(1e-3, optimizer.LearningRate);
        Assert.Equal(0.9, optimizer.Beta1);
        Assert.Equal(0.999, optimizer.Beta2);
        Assert.Equal(1e-8, optimizer.Eps);
        Assert.Equal(0.01, optimizer.WeightDecay);
    }
}
