using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

public class AdamTests
{
    /// <summary>Learning rate, β₁, β₂, ε, L2 weight decay.</summary>
    public static TheoryData<double, double, double, double, double> Hyperparameters => new()
    {
        { 1e-3, 0.9, 0.999, 1e-8, 0.0 }, // PyTorch's defaults
        { 0.1, 0.9, 0.999, 1e-8, 0.0 },  // large steps: the path crosses the minimum
        { 0.05, 0.5, 0.9, 1e-8, 0.0 },   // short memories, so the bias correction fades within the run
        { 0.05, 0.0, 0.99, 1e-8, 0.0 },  // no momentum (RMSProp with bias correction)
        { 0.05, 0.9, 0.999, 0.1, 0.0 },  // a large ε, to pin down where ε is added
        { 0.05, 0.9, 0.999, 1e-8, 0.3 }, // L2 penalty added to the gradient
    };

    [Theory]
    [MemberData(nameof(Hyperparameters))]
    public void Step_Quadratic_MatchesKingmaBaAlgorithm1(double learningRate, double beta1, double beta2, double eps, double weightDecay)
    {
        Trajectory.AssertMatches(
            parameters => new Adam(parameters, learningRate, beta1, beta2, eps, weightDecay),
            () => new OptimizerReference.Adam(learningRate, beta1, beta2, eps, weightDecay, decoupled: false).Step);
    }

    [Fact]
    public void Step_FirstStep_MovesEveryCoordinateByLearningRateAgainstItsGradientSign()
    {
        // At t = 1, m̂ = g and v̂ = g², so the step is α g / (|g| + ε): α in size whatever the gradient's scale.
        var parameter = Tensor.FromArray([0f, 0f, 0f]);
        parameter.Grad = Tensor.FromArray([1e-3f, -50f, 2f]);

        new Adam([parameter], learningRate: 0.01).Step();

        var actual = parameter.ToArray();
        Assert.Equal(-0.01, actual[0], 1e-6);
        Assert.Equal(0.01, actual[1], 1e-6);
        Assert.Equal(-0.01, actual[2], 1e-6);
    }

    [Theory]
    [InlineData(0.0, false, 67)]
    [InlineData(0.3, false, 67)]
    [InlineData(0.3, true, 67)]
    [InlineData(0.0, false, 70_001)]
    [InlineData(0.3, true, 70_001)]
    public void Step_LongParameter_SameBitsAsOneElementParameters(double weightDecay, bool decoupled, int length)
    {
        // The update runs a SIMD loop over whole vectors and a scalar loop over the tail. The reference trajectories
        // above use 3- and 4-element parameters, so only the scalar loop meets them there; here a 67-element parameter
        // (vectors plus a tail at any vector width) must follow, bit for bit, 67 one-element parameters (scalar only).
        // At 70,001 elements the update is also split over the GEMM threads (on a machine with more than one core).
        var generator = new Generator(7);
        var initial = Tensor.Randn([length], generator).ToArray();
        var whole = Tensor.FromArray(initial);
        var singles = initial.Select(x => Tensor.FromArray([x])).ToArray();
        Optimizer Create(Tensor[] parameters) => decoupled
            ? new AdamW(parameters, learningRate: 0.05, weightDecay: weightDecay)
            : new Adam(parameters, learningRate: 0.05, weightDecay: weightDecay);
        var wholeOptimizer = Create([whole]);
        var singlesOptimizer = Create(singles);

        for (var step = 0; step < 5; step++)
        {
            var gradient = Tensor.Randn([length], generator).ToArray();
            whole.Grad = Tensor.FromArray(gradient);
            for (var i = 0; i < length; i++)
            {
                singles[i].Grad = Tensor.FromArray([gradient[i]]);
            }
            wholeOptimizer.Step();
            singlesOptimizer.Step();

            Assert.Equal(singles.Select(p => p.ToArray()[0]).ToArray(), whole.ToArray());
        }
    }

    [Fact]
    public void Step_ParameterWithoutGrad_IsSkippedAndKeepsItsOwnStepCount()
    {
        var used = Tensor.FromArray([1f, 2f]);
        var unused = Tensor.FromArray([3f, 4f]);
        var optimizer = new Adam([used, unused], learningRate: 0.1);

        used.Grad = Tensor.FromArray([1f, 1f]);
        optimizer.Step();
        optimizer.Step();

        Assert.Equal(new[] { 3f, 4f }, unused.ToArray());
        Assert.Equal(2, optimizer.StepCount(0));
        Assert.Equal(0, optimizer.StepCount(1));

        // Its first real step is bias-corrected as step 1 (a full α), not as step 3.
        unused.Grad = Tensor.FromArray([-2f, 5f]);
        optimizer.Step();

        Assert.Equal(1, optimizer.StepCount(1));
        Assert.Equal(3.1, unused.ToArray()[0], 1e-6);
        Assert.Equal(3.9, unused.ToArray()[1], 1e-6);
    }

    [Fact]
    public void Step_LeastSquares_ConvergesToSolution()
    {
        var (inputs, targets, solution) = LeastSquares.Problem(seed: 11);
        var weights = Tensor.Zeros(3);
        weights.RequiresGrad = true;
        var optimizer = new Adam([weights], learningRate: 0.05);

        for (var step = 0; step < 1000; step++)
        {
            if (step == 600)
            {
                optimizer.LearningRate = 0.005; // a step decay, as a schedule would apply it
            }
            optimizer.ZeroGrad();
            LeastSquares.Loss(inputs, targets, weights).Backward();
            optimizer.Step();
        }

        LeastSquares.AssertNear(solution, weights);
    }

    [Theory]
    [InlineData(-1e-3, 0.9, 0.999, 1e-8, 0.0)]
    [InlineData(1e-3, 1.0, 0.999, 1e-8, 0.0)]
    [InlineData(1e-3, 0.9, -0.1, 1e-8, 0.0)]
    [InlineData(1e-3, 0.9, 0.999, -1e-8, 0.0)]
    [InlineData(1e-3, 0.9, 0.999, 1e-8, double.NaN)]
    public void Constructor_InvalidHyperparameter_Throws(double learningRate, double beta1, double beta2, double eps, double weightDecay)
    {
        var parameter = Tensor.Zeros(2);

        Assert.ThrowsAny<ArgumentException>(() => new Adam([parameter], learningRate, beta1, beta2, eps, weightDecay));
    }
}
