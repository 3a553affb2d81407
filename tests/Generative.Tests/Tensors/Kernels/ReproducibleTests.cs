using Generative.Tensors.Kernels;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>The reproducible kernels against double-precision references (accuracy), against a scalar model of their
/// documented order (the bits), and against themselves at every offset in a span (no dependence on where a value sits).</summary>
public class ReproducibleTests
{
    /// <summary>Distance in float ulps between a float and the double it approximates (rounded to float first).</summary>
    private static double Ulps(float actual, double exact)
    {
        var rounded = (float)exact;
        if (float.IsNaN(rounded))
        {
            return float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }
        if (actual == rounded)
        {
            return 0; // also covers equal infinities
        }
        if (float.IsInfinity(rounded) || float.IsInfinity(actual))
        {
            return double.PositiveInfinity;
        }
        var ulp = Math.Max(MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    /// <summary>A log-uniform sweep of magnitudes of both signs, with the special values.</summary>
    private static float[] Sweep(double lowExponent, double highExponent, bool negatives)
    {
        var generator = new Generator(7);
        var values = new List<float> { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, 1e-40f };
        for (var i = 0; i < 20000; i++)
        {
            var magnitude = (float)Math.Pow(10, generator.Uniform(lowExponent, highExponent));
            values.Add(negatives && i % 2 == 1 ? -magnitude : magnitude);
        }
        return [.. values];
    }

    public static TheoryData<string, double> Functions => new()
    {
        // name, worst ulps allowed over the sweep: the worst measured here, rounded up to the next half
        // (exp 1.11, log 0.69, logp1 1.08, sigmoid 2.45, tanh 1.43, softplus 1.88).
        { "exp", 1.5 }, { "log", 1 }, { "logp1", 1.5 }, { "sigmoid", 2.5 }, { "tanh", 1.5 }, { "softplus", 2 },
    };

    private static (Action<ReadOnlySpan<float>, Span<float>> Kernel, Func<double, double> Exact, float[] Inputs) Function(string name) => name switch
    {
        "exp" => (Reproducible.Exp, Math.Exp, Sweep(-8, 2.04, negatives: true)),
        "log" => (Reproducible.Log, Math.Log, Sweep(-44, 38, negatives: true)),
        "logp1" => (Reproducible.LogP1, LogP1, Sweep(-12, 10, negatives: false)),
        // Down to −88, above the documented flush to 0 (e^−x overflows below −88.7).
        "sigmoid" => (Reproducible.Sigmoid, x => 1 / (1 + Math.Exp(-x)), Sweep(-6, Math.Log10(88), negatives: true)),
        "tanh" => (Reproducible.Tanh, Math.Tanh, Sweep(-8, 1.5, negatives: true)),
        _ => (Reproducible.Softplus, x => Math.Max(x, 0) + LogP1(Math.Exp(-Math.Abs(x))), Sweep(-6, 2, negatives: true)),
    };

    /// <summary>ln(1 + x) in double; below 1e-4 the series, exact to double precision where 1 + x would already round.</summary>
    private static double LogP1(double x) => Math.Abs(x) < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Function_OverASweepOfMagnitudes_IsWithinItsUlpBound(string name, double maxUlps)
    {
        var (kernel, exact, inputs) = Function(name);
        var outputs = new float[inputs.Length];
        kernel(inputs, outputs);
        var worst = 0.0;
        var worstAt = 0f;
        for (var i = 0; i < inputs.Length; i++)
        {
            var error = Ulps(outputs[i], exact(inputs[i]));
            if (error > worst)
            {
                (worst, worstAt) = (error, inputs[i]);
            }
        }
        Assert.True(worst <= maxUlps, $"{name}: {worst:F2} ulps at x = {worstAt:R} (bound {maxUlps}).");
    }

    [Fact]
    public void Exp_AtItsEdges_GivesTheLimits()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 89f, -104f, 0f, -0f];
        var y = new float[x.Length];
        Reproducible.Exp(x, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([float.PositiveInfinity, 0f, float.PositiveInfinity, 0f, 1f, 1f], y[1..]);
        // Subnormal results round once: e^-100 is about 3.72e-44, a multiple of the smallest subnormal.
        Assert.InRange(Ulps(Reproducible.Exp(-100f), Math.Exp(-100)), 0, 1);
    }

    [Fact]
    public void Sigmoid_FarBelowZero_FlushesToZeroAndStaysFinite()
    {
        Assert.Equal(0f, Reproducible.Sigmoid(-100f));
        Assert.Equal(0f, Reproducible.Sigmoid(float.NegativeInfinity));
        Assert.Equal(1f, Reproducible.Sigmoid(100f));
        Assert.InRange(Ulps(Reproducible.Sigmoid(-88f), 1 / (1 + Math.Exp(88))), 0, 3);
    }

    [Fact]
    public void Log_AtItsEdges_GivesTheLimits()
    {
        float[] x = [0f, -0f, -1f, float.NaN, float.PositiveInfinity, float.Epsilon, 1f];
        var y = new float[x.Length];
        Reproducible.Log(x, y);
        Assert.Equal(float.NegativeInfinity, y[0]);
        Assert.Equal(float.NegativeInfinity, y[1]);
        Assert.True(float.IsNaN(y[2]) && float.IsNaN(y[3]));
        Assert.Equal(float.PositiveInfinity, y[4]);
        Assert.InRange(Ulps(y[5], Math.Log(float.Epsilon)), 0, 1);
        Assert.Equal(0f, y[6]);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("tanh")]
    [InlineData("softplus")]
    public void Function_OfAValueAtAnyOffsetInASpan_GivesTheSameBits(string name)
    {
        var (kernel, _, inputs) = Function(name);
        var whole = new float[inputs.Length];
        kernel(inputs, whole);
        // Every length up to two vectors of the widest width and every start: each value takes the vector loop in
        // some calls and the padded tail in others.
        for (var length = 1; length <= 33; length++)
        {
            for (var start = 0; start < 40; start += 3)
            {
                var part = new float[length];
                kernel(inputs.AsSpan(start, length), part);
                for (var i = 0; i < length; i++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(whole[start + i]), BitConverter.SingleToInt32Bits(part[i]));
                }
            }
        }
    }

    /// <summary>The documented order, written as plain scalar code: element i into lane i mod 16, then the fixed tree.</summary>
    private static float ScalarModel(float[] x, float[]? y)
    {
        var lanes = new float[16];
        for (var i = 0; i < x.Length; i++)
        {
            lanes[i % 16] += y is null ? x[i] : x[i] * y[i];
        }
        for (var width = 8; width >= 1; width /= 2)
        {
            for (var j = 0; j < width; j++)
            {
                lanes[j] += lanes[j + width];
            }
        }
        return lanes[0];
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(1000)]
    [InlineData(100003)]
    public void SumAndDot_OfAnyLength_FollowTheSixteenLaneOrderExactly(int length)
    {
        var generator = new Generator((ulong)length + 1);
        var x = new float[length];
        var y = new float[length];
        for (var i = 0; i < length; i++)
        {
            // Magnitudes spread over six decades, so a different order would round differently.
            x[i] = (float)(generator.Normal() * Math.Pow(10, generator.Uniform(-3, 3)));
            y[i] = (float)generator.Normal();
        }
        Assert.Equal(ScalarModel(x, null), Reproducible.Sum(x));
        Assert.Equal(ScalarModel(x, y), Reproducible.Dot(x, y));
        Assert.Equal(ScalarModel(x, x), Reproducible.SumOfSquares(x));
    }

    [Fact]
    public void Dot_OfSpansOfDifferentLengths_ThrowsNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => Reproducible.Dot(new float[3], new float[4]));
        Assert.Contains("x has 3 elements and y 4", error.Message);
    }
}
