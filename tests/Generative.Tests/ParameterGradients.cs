using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests;

/// <summary>Checks a module's autograd gradients against central finite differences, parameter by parameter.</summary>
internal static class ParameterGradients
{
    /// <summary>Backpropagates <paramref name="loss"/> once, then, for the first <paramref name="entriesPerParameter"/>
    /// entries of every parameter, compares the gradient with (L(θ + h) − L(θ − h)) / 2h; the losses are computed in
    /// float, so the caller's tolerance, absolute + relative × |gradient|, must cover rounding of order 1e-7 / h.</summary>
    /// <returns>How many entries were compared, so a caller can assert that the check covered something.</returns>
    public static int AssertMatchFiniteDifferences(Module module, Func<Tensor> loss, int entriesPerParameter,
        double absoluteTolerance, double relativeTolerance, float step = 1e-2f)
    {
        float Evaluate()
        {
            using (Tensor.NoGrad())
            {
                return loss().Item();
            }
        }
        module.ZeroGrad();
        loss().Backward();
        var compared = 0;
        foreach (var (name, parameter) in module.NamedParameters())
        {
            var values = parameter.AsSpan();
            var gradient = parameter.Grad!.ToArray();
            for (var i = 0; i < Math.Min(values.Length, entriesPerParameter); i++)
            {
                var original = values[i];
                values[i] = original + step;
                var up = Evaluate();
                values[i] = original - step;
                var down = Evaluate();
                values[i] = original;
                var numeric = (up - down) / (2 * step);
                Assert.True(Math.Abs(numeric - gradient[i]) <= absoluteTolerance + relativeTolerance * Math.Abs(gradient[i]),
                    $"{name}[{i}]: autograd {gradient[i]}, finite differences {numeric}");
                compared++;
            }
        }
        return compared;
    }
}
