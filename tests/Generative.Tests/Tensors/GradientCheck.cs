namespace Generative.Tests.Tensors;

/// <summary>The harness of the gradient tables (<see cref="OpGradientTests"/>, NN/LossesGradientTests, the convolution
/// kernels): central finite differences of a double-precision reference, and a relative comparison with the engine.</summary>
internal static class GradientCheck
{
    /// <summary>d loss / d values[i] by central differences with <paramref name="step"/>, restoring each value after use;
    /// <paramref name="loss"/> reads <paramref name="values"/>.</summary>
    public static double[] CentralDifferences(double[] values, Func<double> loss, double step)
    {
        var slopes = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var original = values[i];
            values[i] = original + step;
            var plus = loss();
            values[i] = original - step;
            var minus = loss();
            values[i] = original;
            slopes[i] = (plus - minus) / (2 * step);
        }
        return slopes;
    }

    /// <summary>|actual[i] - expected[i]| &lt;= tolerance * max(1, |expected[i]|) for every i.</summary>
    public static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            Assert.True(error <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"{what}: element {i} is {actual[i]}, expected {expected[i]} (error {error:g3}, tolerance {tolerance:g3} relative to max(1, |expected|))");
        }
    }
}
