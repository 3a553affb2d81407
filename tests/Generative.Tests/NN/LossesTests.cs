using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

public class LossesTests
{
    /// <summary>Float32 results against double closed forms of order 1-100: a few ulps relative.</summary>
    private const double Float32Tolerance = 1e-5;

    // ---- Stability at |logits| = 100 -------------------------------------------------------------------------------

    /// <summary>logit, target, exact loss (to float32 precision), exact gradient σ(z) − y.</summary>
    public static TheoryData<float, float, double, double> ExtremeLogits => new()
    {
        { 100f, 1f, 0.0, 0.0 },        // confident and right: exp(−100) ≈ 4e-44
        { 100f, 0f, 100.0, 1.0 },      // confident and wrong: exactly z
        { -100f, 0f, 0.0, 0.0 },
        { -100f, 1f, 100.0, -1.0 },
        { 100f, 0.5f, 50.0, 0.5 },     // soft target: z/2
        { -100f, 0.25f, 25.0, -0.25 },
        { 0f, 1f, Math.Log(2), -0.5 },
    };

    [Theory]
    [MemberData(nameof(ExtremeLogits))]
    public void BinaryCrossEntropyWithLogits_ExtremeLogits_IsFiniteAndExact(float logit, float target, double expectedLoss, double expectedGradient)
    {
        var logits = Tensor.FromArray([logit]);
        logits.RequiresGrad = true;

        var loss = Losses.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray([target]), Reduction.Sum);
        loss.Backward();

        Assert.True(float.IsFinite(loss.Item()));
        Assert.Equal(expectedLoss, loss.Item(), Float32Tolerance * Math.Max(1, expectedLoss));
        Assert.Equal(expectedGradient, logits.Grad!.Item(), Float32Tolerance);
    }

    [Fact]
    public void CrossEntropy_ExtremeLogits_IsFiniteAndExact()
    {
        // Row 0: the target's logit is 200 below the best: loss 200. Row 1: right by a margin of 200: loss e^-200 ≈ 0.
        var logits = Tensor.FromArray(new float[,] { { 100f, -100f, 0f }, { 100f, -100f, -100f } });
        logits.RequiresGrad = true;

        var losses = Losses.CrossEntropy(logits, [1, 0], Reduction.None);
        losses.Sum().Backward();

        Assert.Equal(200.0, losses.ToArray()[0], Float32Tolerance * 200);
        Assert.Equal(0.0, losses.ToArray()[1], Float32Tolerance);
        // d/dlogits = softmax − onehot.
        Assert.Equal(new[] { 1f, -1f, 0f, 0f, 0f, 0f }, logits.Grad!.ToArray().Select(v => MathF.Round(v, 5)).ToArray());
    }

    // ---- Clamping of BinaryCrossEntropy -------------------------------------------------------------------------------

    /// <summary>prob, target, loss with each log floored at −100 (PyTorch's clamp).</summary>
    public static TheoryData<float, float, double> ClampedProbs => new()
    {
        { 0f, 1f, 100.0 },  // log 0 = −∞ floored to −100
        { 1f, 0f, 100.0 },
        { 0f, 0f, 0.0 },    // the floored log is multiplied by 0: no NaN
        { 1f, 1f, 0.0 },
        { 0f, 0.5f, 50.0 },
        { 0.5f, 1f, Math.Log(2) },
    };

    [Theory]
    [MemberData(nameof(ClampedProbs))]
    public void BinaryCrossEntropy_ProbsAtBounds_ClampsLogAtMinus100(float prob, float target, double expected)
    {
        var probs = Tensor.FromArray([prob]);
        probs.RequiresGrad = true;

        var loss = Losses.BinaryCrossEntropy(probs, Tensor.FromArray([target]));
        loss.Backward();

        Assert.Equal(expected, loss.Item(), Float32Tolerance * Math.Max(1, expected));
        Assert.True(float.IsFinite(probs.Grad!.Item()), $"gradient {probs.Grad!.Item()} is not finite");
    }

    [Fact]
    public void BinaryCrossEntropy_ProbZeroTargetOne_GradientUsesEpsilonFloor()
    {
        // d/dp = (p − y) / max(p (1 − p), 1e-12) = −1 / 1e-12.
        var probs = Tensor.FromArray([0f]);
        probs.RequiresGrad = true;

        Losses.BinaryCrossEntropy(probs, Tensor.FromArray([1f]), Reduction.Sum).Backward();

        Assert.Equal(-1e12, probs.Grad!.Item(), 1e12 * Float32Tolerance);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(-0.01f)]
    [InlineData(float.NaN)]
    public void BinaryCrossEntropy_ProbOutsideUnitInterval_Throws(float prob)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Losses.BinaryCrossEntropy(Tensor.FromArray([0.5f, prob]), Tensor.FromArray([1f, 1f])));

        Assert.Contains("element 1", error.Message);
    }

    [Fact]
    public void BinaryCrossEntropy_BadProbInALargeBatch_ThrowsArgumentExceptionWithItsIndex()
    {
        // Long enough for the loss to be computed in ranges on several threads: the error must still be the
        // ArgumentException of one thread, with the index in the whole tensor.
        var values = Enumerable.Repeat(0.5f, 128 * 784).ToArray();
        values[100_000] = 2f;

        var error = Assert.Throws<ArgumentException>(() =>
            Losses.BinaryCrossEntropy(Tensor.FromArray(values, 128, 784), Tensor.Ones(128, 784)));

        Assert.Contains("element 100000 is 2", error.Message);
        Assert.Equal("probs", error.ParamName);
    }

    [Fact]
    public void BinaryCrossEntropy_OfSigmoid_MatchesWithLogitsForModerateLogits()
    {
        var logits = Tensor.FromArray([-3f, -0.5f, 0f, 0.7f, 4f], 5);
        var targets = Tensor.FromArray([0f, 1f, 0.5f, 0f, 1f], 5);

        var fromProbs = Losses.BinaryCrossEntropy(logits.Sigmoid(), targets, Reduction.None).ToArray();
        var fromLogits = Losses.BinaryCrossEntropyWithLogits(logits, targets, Reduction.None).ToArray();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(fromLogits[i], fromProbs[i], 1e-5);
        }
    }

    // ---- Gaussian KL --------------------------------------------------------------------------------------------------

    [Fact]
    public void GaussianKL_StandardNormal_IsZero()
    {
        // Not bit-exact: TensorPrimitives.Exp(0f) returns 1 + 2^-23 on the vectorised path, so each dimension adds ~6e-8.
        var kl = Losses.GaussianKL(Tensor.Zeros(4, 3), Tensor.Zeros(4, 3), Reduction.None);

        Assert.Equal(new[] { 4 }, kl.Shape.ToArray());
        Assert.All(kl.ToArray(), v => Assert.Equal(0.0, v, Float32Tolerance));
    }

    [Fact]
    public void GaussianKL_KnownValues_MatchClosedForm()
    {
        // One dimension: KL(N(μ, σ²) ‖ N(0, 1)) = ½ (σ² + μ² − 1 − ln σ²).
        // μ = 1, σ² = 1: ½. μ = 0, σ² = e: ½ (e − 2). μ = 2, σ² = e^-2: ½ (e^-2 + 4 − 1 + 2).
        var mean = Tensor.FromArray([1f, 0f, 2f], 3, 1);
        var logVar = Tensor.FromArray([0f, 1f, -2f], 3, 1);

        var kl = Losses.GaussianKL(mean, logVar, Reduction.None).ToArray();

        Assert.Equal(0.5, kl[0], Float32Tolerance);
        Assert.Equal(0.5 * (Math.E - 2), kl[1], Float32Tolerance);
        Assert.Equal(0.5 * (Math.Exp(-2) + 5), kl[2], Float32Tolerance);
    }

    [Fact]
    public void GaussianKL_PerExample_MatchesMonteCarloEstimate()
    {
        // KL(q ‖ p) = E_q[log q(z) − log p(z)], estimated with z = μ + σ ε. For each example the estimate must lie within
        // Tolerance.StandardErrors standard errors of the closed form (seeded, so deterministic).
        float[] means = [0.5f, -1.0f, 0.2f, 1.5f, 0.0f, -0.3f];
        float[] logVars = [-0.5f, 0.3f, 0.0f, -1.2f, 0.8f, 0.1f];
        var kl = Losses.GaussianKL(Tensor.FromArray(means, 2, 3), Tensor.FromArray(logVars, 2, 3), Reduction.None).ToArray();

        var generator = new Generator(2024);
        const int samples = 100_000;
        for (var n = 0; n < 2; n++)
        {
            double sum = 0, sumOfSquares = 0;
            for (var s = 0; s < samples; s++)
            {
                double logRatio = 0;
                for (var j = 0; j < 3; j++)
                {
                    var epsilon = generator.Normal();
                    var z = means[n * 3 + j] + Math.Exp(0.5 * logVars[n * 3 + j]) * epsilon;
                    // log N(z; μ, σ²) − log N(z; 0, 1); the ½ log 2π terms cancel.
                    logRatio += -0.5 * epsilon * epsilon - 0.5 * logVars[n * 3 + j] + 0.5 * z * z;
                }
                sum += logRatio;
                sumOfSquares += logRatio * logRatio;
            }
            var estimate = sum / samples;
            var standardError = Math.Sqrt((sumOfSquares / samples - estimate * estimate) / samples);
            Assert.True(Math.Abs(estimate - kl[n]) <= Tolerance.StandardErrors * standardError,
                $"example {n}: closed form {kl[n]}, Monte Carlo {estimate} ± {standardError:g3}");
        }
    }

    // ---- Reductions and shapes ----------------------------------------------------------------------------------------

    public static TheoryData<string> ReducibleLosses => new()
    {
        "BinaryCrossEntropyWithLogits", "BinaryCrossEntropy", "CrossEntropy", "NllLoss", "MseLoss", "GaussianKL",
    };

    private static Tensor Compute(string loss, Reduction reduction)
    {
        var generator = new Generator(8);
        var a = Tensor.Randn([4, 3], generator);
        var b = Tensor.Rand([4, 3], generator);
        return loss switch
        {
            "BinaryCrossEntropyWithLogits" => Losses.BinaryCrossEntropyWithLogits(a, b, reduction),
            "BinaryCrossEntropy" => Losses.BinaryCrossEntropy(b, a.Sigmoid(), reduction),
            "CrossEntropy" => Losses.CrossEntropy(a, [0, 2, 1, 2], reduction),
            "NllLoss" => Losses.NllLoss(a.LogSoftmax(1), [0, 2, 1, 2], reduction),
            "MseLoss" => Losses.MseLoss(a, b, reduction),
            "GaussianKL" => Losses.GaussianKL(a, b, reduction),
            _ => throw new ArgumentOutOfRangeException(nameof(loss)),
        };
    }

    [Theory]
    [MemberData(nameof(ReducibleLosses))]
    public void Reduction_MeanAndSum_AreMeanAndSumOfNone(string loss)
    {
        var none = Compute(loss, Reduction.None).ToArray();

        var sum = Compute(loss, Reduction.Sum);
        var mean = Compute(loss, Reduction.Mean);

        Assert.Equal(0, sum.Rank);
        Assert.Equal(0, mean.Rank);
        Assert.Equal(none.Sum(v => (double)v), sum.Item(), Float32Tolerance * 10);
        Assert.Equal(none.Average(v => (double)v), mean.Item(), Float32Tolerance);
    }

    [Theory]
    [InlineData("BinaryCrossEntropyWithLogits", new[] { 4, 3 })]
    [InlineData("BinaryCrossEntropy", new[] { 4, 3 })]
    [InlineData("MseLoss", new[] { 4, 3 })]
    [InlineData("CrossEntropy", new[] { 4 })]
    [InlineData("NllLoss", new[] { 4 })]
    [InlineData("GaussianKL", new[] { 4 })]
    public void Reduction_None_HasDocumentedShape(string loss, int[] expected)
    {
        Assert.Equal(expected, Compute(loss, Reduction.None).Shape.ToArray());
    }

    [Fact]
    public void CrossEntropy_IntAndFloatTargets_Agree()
    {
        var logits = Tensor.Randn([5, 4], new Generator(3));

        var fromInts = Losses.CrossEntropy(logits, [3, 0, 1, 1, 2]).Item();
        var fromFloats = Losses.CrossEntropy(logits, Tensor.FromArray([3f, 0f, 1f, 1f, 2f])).Item();

        Assert.Equal(fromInts, fromFloats);
    }

    [Fact]
    public void CrossEntropy_OneHotSoftTargets_EqualIndexTargets()
    {
        var logits = Tensor.Randn([3, 4], new Generator(4));
        var oneHot = Tensor.FromArray(new float[,] { { 0, 0, 1, 0 }, { 1, 0, 0, 0 }, { 0, 0, 0, 1 } });

        var fromIndices = Losses.CrossEntropy(logits, [2, 0, 3]).Item();
        var fromProbabilities = Losses.CrossEntropy(logits, oneHot).Item();

        Assert.Equal(fromIndices, fromProbabilities, Float32Tolerance);
    }

    [Fact]
    public void CrossEntropy_PixelLogits_NoneHasPerPixelShape()
    {
        var logits = Tensor.Randn([2, 5, 3, 4], new Generator(6));
        var targets = Enumerable.Range(0, 2 * 3 * 4).Select(i => i % 5).ToArray();

        var losses = Losses.CrossEntropy(logits, targets, Reduction.None);

        Assert.Equal(new[] { 2, 3, 4 }, losses.Shape.ToArray());
        // Pixel (n=1, h=2, w=3) picks class targets[1*12 + 2*4 + 3] of logits[1, :, 2, 3].
        var column = Enumerable.Range(0, 5).Select(c => (double)logits[1, c, 2, 3]).ToArray();
        var logSumExp = Math.Log(column.Sum(Math.Exp));
        Assert.Equal(logSumExp - column[targets[23]], losses[1, 2, 3], Float32Tolerance);
    }

    // ---- Errors -------------------------------------------------------------------------------------------------------

    [Fact]
    public void MseLoss_ShapeMismatch_ThrowsNamingBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.MseLoss(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));

        Assert.Contains("MseLoss", error.Message);
        Assert.Contains("(2, 3)", error.Message);
        Assert.Contains("(3, 2)", error.Message);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_ShapeMismatch_ThrowsNamingBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Losses.BinaryCrossEntropyWithLogits(Tensor.Zeros(4, 1), Tensor.Zeros(4)));

        Assert.Contains("(4, 1)", error.Message);
        Assert.Contains("(4)", error.Message);
    }

    [Fact]
    public void CrossEntropy_TargetOutOfRange_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropy(Tensor.Zeros(2, 3), [1, 3]));

        Assert.Contains("[0, 3)", error.Message);
    }

    [Fact]
    public void CrossEntropy_FractionalTarget_Throws()
    {
        Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray([1f, 0.5f])));
    }

    [Fact]
    public void CrossEntropy_TargetsOfWrongShape_ThrowsNamingExpectedShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(3)));

        Assert.Contains("(2)", error.Message);
    }

    [Fact]
    public void NllLoss_WrongTargetCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => Losses.NllLoss(Tensor.Zeros(2, 3), [0, 1, 2]));
    }

    [Fact]
    public void GaussianKL_ShapeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => Losses.GaussianKL(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
    }
}
