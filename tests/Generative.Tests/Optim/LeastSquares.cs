using Generative.Tensors;

namespace Generative.Tests.Optim;

/// <summary>A well-conditioned linear least-squares problem with a known exact solution: the convex test bed for
/// convergence.</summary>
internal static class LeastSquares
{
    /// <summary>Distance from the optimiser's final weights to the exact solution: the runs are long enough to get within
    /// about 1e-4, and float32 rounding of the gradient near the optimum limits them to about 1e-6.</summary>
    public const double ConvergenceTolerance = 1e-3;

    /// <summary>Inputs (32, 3) standard normal, targets = inputs · w* exactly (no noise), so the minimum is w* with loss 0.</summary>
    public static (Tensor Inputs, Tensor Targets, double[] Solution) Problem(ulong seed)
    {
        var generator = new Generator(seed);
        double[] solution = [1.5, -0.5, 2.0];
        var inputs = new float[32 * 3];
        var targets = new float[32];
        for (var n = 0; n < 32; n++)
        {
            double sum = 0;
            for (var j = 0; j < 3; j++)
            {
                inputs[n * 3 + j] = (float)generator.Normal();
                sum += inputs[n * 3 + j] * solution[j];
            }
            targets[n] = (float)sum;
        }
        return (Tensor.FromArray(inputs, 32, 3), Tensor.FromArray(targets, 32, 1), solution);
    }

    /// <summary>Mean squared residual, mean((X w − y)²).</summary>
    public static Tensor Loss(Tensor inputs, Tensor targets, Tensor weights) =>
        (inputs.MatMul(weights.Reshape(3, 1)) - targets).Pow(2).Mean();

    public static void AssertNear(double[] solution, Tensor weights)
    {
        var actual = weights.ToArray();
        for (var j = 0; j < solution.Length; j++)
        {
            Assert.True(Math.Abs(actual[j] - solution[j]) <= ConvergenceTolerance,
                $"weight {j} is {actual[j]}, the least-squares solution is {solution[j]} (tolerance {ConvergenceTolerance:g3})");
        }
    }
}
