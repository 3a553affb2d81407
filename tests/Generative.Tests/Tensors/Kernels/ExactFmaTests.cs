using System.Numerics;
using System.Runtime.Intrinsics;
using Generative.Tensors.Kernels;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>The double-precision emulation of fused multiply-add against <see cref="MathF.FusedMultiplyAdd"/> (correctly
/// rounded by definition, in hardware or in the C library), bit for bit.</summary>
public class ExactFmaTests
{
    private static void AssertSameBitsAsMathF(float[] a, float[] b, float[] c)
    {
        const int width = 4;
        for (var i = 0; i + width <= a.Length; i += width)
        {
            var emulated = ExactFma.Emulated(Vector128.Create(a, i), Vector128.Create(b, i), Vector128.Create(c, i));
            for (var lane = 0; lane < width; lane++)
            {
                var expected = MathF.FusedMultiplyAdd(a[i + lane], b[i + lane], c[i + lane]);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(emulated[lane]) || (float.IsNaN(expected) && float.IsNaN(emulated[lane])),
                    $"fma({a[i + lane]:R}, {b[i + lane]:R}, {c[i + lane]:R}): expected {expected:R}, emulated {emulated[lane]:R}");
            }
        }
    }

    [Fact]
    public void Emulated_RandomOperandsOfEveryScale_MatchesFusedMultiplyAdd()
    {
        var generator = new Generator(11);
        const int Count = 400_000;
        var (a, b, c) = (new float[Count], new float[Count], new float[Count]);
        for (var i = 0; i < Count; i++)
        {
            a[i] = (float)(generator.Normal() * Math.Pow(2, generator.NextInt(-30, 30)));
            b[i] = (float)(generator.Normal() * Math.Pow(2, generator.NextInt(-30, 30)));
            // Often c nearly cancels a × b: where a separate multiply and add would differ most.
            c[i] = i % 3 == 0 ? -a[i] * b[i] * (1 + (float)generator.Normal() * 1e-6f) : (float)(generator.Normal() * Math.Pow(2, generator.NextInt(-60, 60)));
        }
        AssertSameBitsAsMathF(a, b, c);
    }

    [Fact]
    public void Emulated_HalfwayCasesSubnormalsOverflowAndSpecials_MatchesFusedMultiplyAdd()
    {
        // a × b = 1 + 2^-23 + 2^-46 etc.: products whose exact value sits at or next to a float halfway point, where
        // rounding the double sum to float without round-to-odd would round twice.
        var one = 1f + MathF.Pow(2, -23);
        float[] values = [0f, -0f, 1f, -1f, one, 1f - MathF.Pow(2, -24), MathF.Pow(2, -24), MathF.Pow(2, -48), -MathF.Pow(2, -25),
            float.Epsilon, -float.Epsilon, 1e-38f, float.MaxValue, -float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 3f, 1f / 3f];
        var (a, b, c) = (new List<float>(), new List<float>(), new List<float>());
        foreach (var x in values)
            foreach (var y in values)
                foreach (var z in values)
                {
                    a.Add(x);
                    b.Add(y);
                    c.Add(z);
                }
        while (a.Count % 16 != 0)
        {
            a.Add(1f);
            b.Add(1f);
            c.Add(1f);
        }
        AssertSameBitsAsMathF([.. a], [.. b], [.. c]);
    }

    [Fact]
    public void MultiplyAdd_OnThisProcessor_RoundsOnce()
    {
        var a = new Vector<float>(1f + MathF.Pow(2, -23));
        var c = new Vector<float>(-(1f + MathF.Pow(2, -22)));
        // (1 + 2^-23)^2 − (1 + 2^-22) = 2^-46 exactly: a separate multiply would round the square and give 0.
        Assert.Equal(MathF.Pow(2, -46), ExactFma.MultiplyAdd(a, a, c)[0]);
    }
}
