using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>ReLU and leaky ReLU at the points the gradient table avoids (x = 0, -0, NaN; infinite or NaN upstream
/// gradients), over a length that covers both the SIMD loop and the scalar tail, bit for bit against the definition.</summary>
public class ActivationTests
{
    private const int Length = 37;

    private static readonly float[] Special = [0f, -0f, float.NaN, 1.5f, -2.5f, float.PositiveInfinity, float.NegativeInfinity, 1e-45f, -1e-45f];

    private static float[] Inputs() => Enumerable.Range(0, Length).Select(i => Special[i % Special.Length]).ToArray();

    // Upstream gradients, shifted against the inputs so every kind of x meets every kind of g.
    private static float[] UpstreamGradients() =>
        Enumerable.Range(0, Length).Select(i => (i / Special.Length) switch
        {
            0 => 1f,
            1 => -3f,
            2 => float.PositiveInfinity,
            3 => float.NaN,
            _ => -0f,
        }).ToArray();

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static (float[] Output, float[] Gradient) Run(Func<Tensor, Tensor> activation)
    {
        var x = Tensor.FromArray(Inputs());
        x.RequiresGrad = true;
        var y = activation(x);
        y.Backward(Tensor.FromArray(UpstreamGradients()));
        return (y.ToArray(), x.Grad!.ToArray());
    }

    [Fact]
    public void Relu_SpecialValues_MatchesDefinitionBitForBit()
    {
        var x = Inputs();
        var g = UpstreamGradients();
        // Backward: g where x > 0, else exactly +0 (also at x = 0, and whatever g is).
        var expectedGradient = x.Select((v, i) => v > 0 ? g[i] : 0f).ToArray();

        var (output, gradient) = Run(t => t.Relu());

        Assert.Equal(Bits(x.Select(v => float.IsNaN(v) ? v : MathF.Max(v, 0f)).ToArray()), Bits(output));
        Assert.Equal(Bits(expectedGradient), Bits(gradient));
    }

    [Fact]
    public void LeakyRelu_SpecialValues_MatchesDefinitionBitForBit()
    {
        const float Slope = 0.2f;
        var x = Inputs();
        var g = UpstreamGradients();
        var expectedOutput = x.Select(v => v > 0 ? v : Slope * v).ToArray();
        var expectedGradient = x.Select((v, i) => v > 0 ? g[i] : Slope * g[i]).ToArray();

        var (output, gradient) = Run(t => t.LeakyRelu(Slope));

        Assert.Equal(Bits(expectedOutput), Bits(output));
        Assert.Equal(Bits(expectedGradient), Bits(gradient));
    }
}
