using Generative.Models;
using Generative.Tensors;
using Generative.Tensors.Kernels;
using Generative.Tests.Tensors;

namespace Generative.Tests.Tensors.Kernels;

/// <summary>The fused NADE op against a direct double-precision loop (forward) and central finite differences of
/// that loop (backward, every argument).</summary>
public class NadeKernelsTests
{
    /// <summary>The kernel computes in float32 with its own exponential (relative error below 3e-7 per sigmoid) and
    /// sums over H in a different order: logits of order 1 agree with the double loop to a few float ulps.</summary>
    private const double ForwardTolerance = 2e-5;

    /// <summary>Analytic float32 gradients against double-precision central differences (step 1e-4, truncation error
    /// about 1e-9): the float rounding of the kernel, relative to gradients of order 1, dominates.</summary>
    private const double GradientTolerance = 1e-4;

    private const double FiniteDifferenceStep = 1e-4;

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 3, 5, 4 },     // scalar tails only
        { 2, 7, 19 },    // a Vector256 step and a tail
        { 5, 6, 37 },    // Vector512 (where available), Vector256 and a tail
        { 130, 4, 3 },   // three slots of examples, the last one short
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Logits_MatchDirectLoop(int n, int d, int h)
    {
        var p = Problem.Random(n, d, h, seed: 1);
        var logits = Tensor.NadeLogits(p.X(), p.W(), p.C(), p.V(), p.B()).ToArray();
        GradientCheck.AssertClose(p.ReferenceLogits(), logits, ForwardTolerance, "logits");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_EveryArgument_MatchesCentralDifferences(int n, int d, int h)
    {
        var p = Problem.Random(n, d, h, seed: 2);
        var x = p.X(requiresGrad: true);
        var w = p.W(requiresGrad: true);
        var c = p.C(requiresGrad: true);
        var v = p.V(requiresGrad: true);
        var b = p.B(requiresGrad: true);
        // L = Σ r ⊙ logits with fixed random weights r, so every logit's gradient path is exercised.
        var weights = Tensor.FromArray(p.LossWeights, n, d);
        (Tensor.NadeLogits(x, w, c, v, b) * weights).Sum().Backward();

        CheckGradient("x", p.Xs, x.Grad!.ToArray(), p);
        CheckGradient("W", p.Ws, w.Grad!.ToArray(), p);
        CheckGradient("c", p.Cs, c.Grad!.ToArray(), p);
        CheckGradient("V", p.Vs, v.Grad!.ToArray(), p);
        CheckGradient("b", p.Bs, b.Grad!.ToArray(), p);
    }

    [Fact]
    public void Backward_BinaryInputs_MatchesCentralDifferencesOfParameters()
    {
        // The model's case: 0/1 inputs, where the sparse updates skip the zeros.
        var p = Problem.Random(9, 12, 21, seed: 3, binary: true);
        var w = p.W(requiresGrad: true);
        var c = p.C(requiresGrad: true);
        var v = p.V(requiresGrad: true);
        var b = p.B(requiresGrad: true);
        (Tensor.NadeLogits(p.X(), w, c, v, b) * Tensor.FromArray(p.LossWeights, 9, 12)).Sum().Backward();
        CheckGradient("W", p.Ws, w.Grad!.ToArray(), p);
        CheckGradient("c", p.Cs, c.Grad!.ToArray(), p);
        CheckGradient("V", p.Vs, v.Grad!.ToArray(), p);
        CheckGradient("b", p.Bs, b.Grad!.ToArray(), p);
    }

    [Fact]
    public void Backward_GradientsAccumulateAcrossCalls()
    {
        var p = Problem.Random(4, 5, 6, seed: 4);
        var w = p.W(requiresGrad: true);
        Tensor.NadeLogits(p.X(), w, p.C(), p.V(), p.B()).Sum().Backward();
        var once = w.Grad!.ToArray();
        Tensor.NadeLogits(p.X(), w, p.C(), p.V(), p.B()).Sum().Backward();
        var twice = w.Grad!.ToArray();
        for (var i = 0; i < once.Length; i++)
        {
            Assert.Equal(2 * once[i], twice[i], 1e-5f * Math.Max(1, Math.Abs(twice[i])));
        }
    }

    [Fact]
    public void Logits_AnyThreadCount_BitIdenticalResultsAndGradients()
    {
        var p = Problem.Random(200, 30, 50, seed: 5, binary: true);
        var previous = WorkerPool.MaxDegreeOfParallelism;
        try
        {
            var results = new List<float[]>();
            foreach (var threads in new[] { 1, 2, 3 })
            {
                WorkerPool.MaxDegreeOfParallelism = threads;
                var w = p.W(requiresGrad: true);
                var v = p.V(requiresGrad: true);
                var logits = Tensor.NadeLogits(p.X(), w, p.C(), v, p.B());
                (logits * Tensor.FromArray(p.LossWeights, 200, 30)).Sum().Backward();
                results.Add([.. logits.ToArray(), .. w.Grad!.ToArray(), .. v.Grad!.ToArray()]);
            }
            Assert.Equal(results[0], results[1]);
            Assert.Equal(results[0], results[2]);
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = previous;
        }
    }

    public static TheoryData<bool> UniformUpstream => new() { true, false };

    [Theory]
    [MemberData(nameof(UniformUpstream))]
    public void NegativeLogLikelihood_MatchesComposedLossAndItsGradients(bool uniform)
    {
        // The fused op (gradients computed in the forward sweep, or by the general backward for non-uniform weights)
        // against BCE-with-logits of Logits summed per example, composed from tested ops.
        var p = Problem.Random(70, 9, 23, seed: 6, binary: true);
        var upstream = uniform
            ? Tensor.Full([70], 1f / 70)
            : Tensor.FromArray(p.LossWeights.Take(70).ToArray(), 70);
        var fused = Leaves(p);
        var nll = Tensor.NadeNegativeLogLikelihood(p.X(), fused[0], fused[1], fused[2], fused[3]);
        (nll * upstream).Sum().Backward();
        var composed = Leaves(p);
        var reference = Generative.NN.Losses.BinaryCrossEntropyWithLogits(
            Tensor.NadeLogits(p.X(), composed[0], composed[1], composed[2], composed[3]), p.X(), Generative.NN.Reduction.None).Sum(1);
        (reference * upstream).Sum().Backward();

        var expected = reference.ToArray();
        var actual = nll.ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f * Math.Max(1, Math.Abs(expected[i])));
        }
        for (var k = 0; k < 4; k++)
        {
            var e = composed[k].Grad!.ToArray();
            var a = fused[k].Grad!.ToArray();
            for (var i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5 * Math.Max(1, Math.Abs(e[i])), $"parameter {k}, element {i}: {a[i]} vs {e[i]}");
            }
        }

        static Tensor[] Leaves(Problem p) => [p.W(true), p.C(true), p.V(true), p.B(true)];
    }

    [Fact]
    public void NegativeLogLikelihood_TwoUsesInOneLoss_GradientsAdd()
    {
        var p = Problem.Random(6, 8, 17, seed: 8, binary: true);
        var w = p.W(true);
        var nll = Tensor.NadeNegativeLogLikelihood(p.X(), w, p.C(), p.V(), p.B());
        (nll.Mean() + nll.Sum() * 0.5f).Backward();
        var reference = p.W(true);
        var composed = Generative.NN.Losses.BinaryCrossEntropyWithLogits(
            Tensor.NadeLogits(p.X(), reference, p.C(), p.V(), p.B()), p.X(), Generative.NN.Reduction.None).Sum(1);
        (composed.Mean() + composed.Sum() * 0.5f).Backward();
        var expected = reference.Grad!.ToArray();
        var actual = w.Grad!.ToArray();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    [Fact]
    public void NegativeLogLikelihood_WithoutGradients_EqualsRecordedValue()
    {
        // Same logits (the same sums in the same order); the per-pixel losses are added by different loops, so the
        // totals of 7 terms agree to a few float ulps.
        var p = Problem.Random(5, 7, 37, seed: 7, binary: true);
        var recorded = Tensor.NadeNegativeLogLikelihood(p.X(), p.W(true), p.C(), p.V(), p.B()).ToArray();
        using (Tensor.NoGrad())
        {
            var plain = Tensor.NadeNegativeLogLikelihood(p.X(), p.W(true), p.C(), p.V(), p.B()).ToArray();
            for (var i = 0; i < plain.Length; i++)
            {
                Assert.Equal(recorded[i], plain[i], 1e-5f * Math.Max(1, Math.Abs(plain[i])));
            }
        }
    }

    [Fact]
    public void Logits_MismatchedShapes_ThrowNamingShapes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Tensor.NadeLogits(Tensor.Zeros(2, 5), Tensor.Zeros(3, 4), Tensor.Zeros(3), Tensor.Zeros(5, 3), Tensor.Zeros(5)));
        Assert.Contains("(3, 4)", error.Message);
        Assert.Contains("(2, 5)", error.Message);
    }

    private static void CheckGradient(string name, double[] parameter, float[] analytic, Problem p) =>
        GradientCheck.AssertClose(GradientCheck.CentralDifferences(parameter, p.ReferenceLoss, FiniteDifferenceStep), analytic,
            GradientTolerance, $"d/d{name}");

    /// <summary>A NADE problem held in double precision, with a direct reference implementation.</summary>
    private sealed class Problem
    {
        public required int N, D, H;
        public required double[] Xs, Ws, Cs, Vs, Bs;
        public required float[] LossWeights;

        public static Problem Random(int n, int d, int h, ulong seed, bool binary = false)
        {
            var g = new Generator(seed);
            double[] Draw(int count, double scale) => Enumerable.Range(0, count).Select(_ => (double)(float)(scale * g.Normal())).ToArray();
            return new Problem
            {
                N = n, D = d, H = h,
                Xs = binary ? Enumerable.Range(0, n * d).Select(_ => g.Bernoulli(0.4) ? 1.0 : 0.0).ToArray() : Draw(n * d, 1),
                Ws = Draw(h * d, 0.7), Cs = Draw(h, 0.5), Vs = Draw(d * h, 0.7), Bs = Draw(d, 0.5),
                LossWeights = Enumerable.Range(0, n * d).Select(_ => (float)g.Normal()).ToArray(),
            };
        }

        public Tensor X(bool requiresGrad = false) => Leaf(Xs, requiresGrad, N, D);
        public Tensor W(bool requiresGrad = false) => Leaf(Ws, requiresGrad, H, D);
        public Tensor C(bool requiresGrad = false) => Leaf(Cs, requiresGrad, H);
        public Tensor V(bool requiresGrad = false) => Leaf(Vs, requiresGrad, D, H);
        public Tensor B(bool requiresGrad = false) => Leaf(Bs, requiresGrad, D);

        private static Tensor Leaf(double[] values, bool requiresGrad, params int[] shape)
        {
            var t = Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape);
            t.RequiresGrad = requiresGrad;
            return t;
        }

        /// <summary>logit[n, d] = b_d + Σ_k V[d, k] σ(c_k + Σ_{j&lt;d} W[k, j] x[n, j]), literally.</summary>
        public double[] ReferenceLogits()
        {
            var logits = new double[N * D];
            for (var n = 0; n < N; n++)
            {
                for (var d = 0; d < D; d++)
                {
                    var sum = Bs[d];
                    for (var k = 0; k < H; k++)
                    {
                        var a = Cs[k];
                        for (var j = 0; j < d; j++)
                        {
                            a += Ws[k * D + j] * Xs[n * D + j];
                        }
                        sum += Vs[d * H + k] / (1 + Math.Exp(-a));
                    }
                    logits[n * D + d] = sum;
                }
            }
            return logits;
        }

        public double ReferenceLoss()
        {
            var logits = ReferenceLogits();
            var total = 0.0;
            for (var i = 0; i < logits.Length; i++)
            {
                total += LossWeights[i] * logits[i];
            }
            return total;
        }
    }
}
