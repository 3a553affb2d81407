using Generative.NN;

namespace Generative.Tests.Models;

/// <summary>A model's autograd gradient against central finite differences, in float, parameter by parameter.</summary>
internal static class ParameterGradients
{
    /// <summary>For the first <paramref name="entriesPerParameter"/> entries of every parameter of
    /// <paramref name="module"/>: (loss(w + h) − loss(w − h)) / 2h must equal the gradient that
    /// <paramref name="backward"/> left in it, within <paramref name="tolerance"/> absolute plus as much relative.</summary>
    /// <returns>How many entries were compared.</returns>
    public static int AssertMatchFiniteDifferences(Module module, Func<float> loss, Action backward, float h, double tolerance,
        int entriesPerParameter)
    {
        module.ZeroGrad();
        backward();
        var compared = 0;
        foreach (var (name, parameter) in module.NamedParameters())
        {
            var values = parameter.AsSpan();
            var gradient = parameter.Grad!.ToArray();
            for (var i = 0; i < Math.Min(values.Length, entriesPerParameter); i++)
            {
                var original = values[i];
                values[i] = original + h;
                var up = loss();
                values[i] = original - h;
                var down = loss();
                values[i] = original;
                var numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient[i]) <= tolerance + tolerance * Math.Abs(gradient[i]),
                    $"{name}[{i}]: autograd {gradient[i]}, finite differences {numeric}");
                compared++;
            }
        }
        return compared;
    }
}
