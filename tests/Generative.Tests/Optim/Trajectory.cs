using Generative.Optim;
using Generative.Tensors;

namespace Generative.Tests.Optim;

/// <summary>Runs an engine optimiser and a reference update side by side on <see cref="Quadratic.Pair"/>.</summary>
internal static class Trajectory
{
    /// <summary>
    /// Engine (float32) vs reference (double) parameters after each step, absolute on values of order 1. Each step
    /// rounds a handful of float32 operations (relative 6e-8 each) and the quadratic's gradient contracts errors
    /// rather than amplifying them; over ten steps the drift stays near 1e-6, so 2e-5 has an order of magnitude of margin.
    /// </summary>
    public const double Tolerance = 2e-5;

    public static void AssertMatches(Func<IEnumerable<Tensor>, Optimizer> makeOptimizer,
        Func<Action<double[], double[]>> makeReferenceStep, int steps = 10)
    {
        var problems = Quadratic.Pair;
        var parameters = problems.Select(p => p.NewParameter()).ToArray();
        var optimizer = makeOptimizer(parameters);
        var expected = problems.Select(p => p.Start).ToArray();
        var references = problems.Select(_ => makeReferenceStep()).ToArray();

        for (var step = 1; step <= steps; step++)
        {
            optimizer.ZeroGrad();
            var loss = problems[0].Loss(parameters[0]) + problems[1].Loss(parameters[1]);
            loss.Backward();
            optimizer.Step();

            for (var k = 0; k < problems.Length; k++)
            {
                references[k](expected[k], problems[k].Gradient(expected[k]));
                var actual = parameters[k].ToArray();
                for (var i = 0; i < actual.Length; i++)
                {
                    Assert.True(Math.Abs(actual[i] - expected[k][i]) <= Tolerance,
                        $"step {step}, parameter {k}, element {i}: {actual[i]} vs reference {expected[k][i]} (tolerance {Tolerance:g3})");
                }
            }
        }
    }
}
