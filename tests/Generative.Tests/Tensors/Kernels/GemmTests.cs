using System.Numerics.Tensors;
using Generative.Tensors.Kernels;

namespace Generative.Tests.Tensors.Kernels;

public class GemmTests
{
    /// <summary>
    /// Unit roundoff of float32 (2^-24). Higham, Accuracy and Stability of Numerical Algorithms (2002), section 3.1: a
    /// float dot product of n terms, summed in any order, with or without FMA, is within gamma_n = n u / (1 - n u) of
    /// the exact value relative to sum |x_i y_i|. Folding alpha into A and adding beta * C are one rounding each, so
    /// every element of C is within gamma_(k+3) * (|alpha| sum_p |A_ip B_pj| + |beta C_ij|) of the product computed
    /// in double. This bound holds for every blocking, thread split and instruction set, so it never flakes; a real
    /// bug (a term lost, repeated, or taken from the wrong place) errs by about one term, sum / k, which is k / (k + 3)
    /// / u times larger, so the tests still catch it. (A statistical sqrt(k) u bound would be tighter but not certain.)
    /// </summary>
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private static double Gamma(int terms) => terms * UnitRoundoff / (1 - terms * UnitRoundoff);

    /// <summary>Every way through Gemm: the simple loop, and the blocked path with each micro-kernel this processor supports.</summary>
    public static IEnumerable<string> Paths()
    {
        yield return "Simple";
        foreach (var kind in new[] { GemmKernelKind.Avx512, GemmKernelKind.Avx2, GemmKernelKind.Vector })
        {
            if (GemmKernelSet.IsSupported(kind))
            {
                yield return kind.ToString();
            }
        }
    }

    /// <summary>Options forcing one path; the blocked ones split over two threads even for tiny products, so partition edges are covered.</summary>
    private static GemmOptions OptionsFor(string path, int threads = 2) => path == "Simple"
        ? new GemmOptions(GemmKernelKind.Auto, long.MaxValue, long.MaxValue, 1)
        : new GemmOptions(Enum.Parse<GemmKernelKind>(path), SmallWork: 0, ParallelWork: 0, threads);

    /// <summary>(m, n, k): degenerate, prime and tile-edge sizes, and the course's layer shapes at batch 128.</summary>
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 1, 1 },
        { 1, 7, 3 },
        { 5, 1, 9 },
        { 3, 4, 2 },
        { 7, 11, 13 },
        { 17, 19, 23 },
        { 8, 32, 1 },
        { 9, 33, 17 },
        { 13, 47, 64 },
        { 31, 37, 41 },
        { 64, 48, 300 },
        { 127, 129, 31 },
        { 3, 200, 300 },   // skinny: the default picks the simple path for m or n below 4
        { 150, 2, 260 },
        { 128, 784, 400 }, // VAE/MLP layer forward: (batch, in) x (in, out)
        { 128, 400, 784 },
        { 784, 128, 400 },
        { 784, 400, 128 }, // weight gradient: X^T (in, batch) x dY (batch, out)
        { 500, 500, 128 },
    };

    public static TheoryData<string, bool, bool, int, int, int> PathsTransposesShapes()
    {
        var data = new TheoryData<string, bool, bool, int, int, int>();
        foreach (var path in Paths())
        {
            foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                foreach (var row in Shapes)
                {
                    data.Add(path, transA, transB, (int)row[0], (int)row[1], (int)row[2]);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsTransposesShapes))]
    public void Multiply_ShapeAndTransposes_MatchesDoubleReference(string path, bool transA, bool transB, int m, int n, int k)
    {
        var problem = Problem.Random(seed: (ulong)(m * 1_000_003 + n * 1009 + k), transA, transB, m, n, k);
        problem.AssertMatchesReference(OptionsFor(path), alpha: 1f, beta: 0f);
    }

    public static TheoryData<string, float, float> PathsAlphasBetas()
    {
        var data = new TheoryData<string, float, float>();
        foreach (var path in Paths())
        {
            foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (0.5f, -2f), (-1.5f, 0.25f), (3f, 1f), (0f, 2f), (0f, 0f), (2f, 0f) })
            {
                data.Add(path, alpha, beta);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAlphasBetas))]
    public void Multiply_AlphaBeta_MatchesDoubleReference(string path, float alpha, float beta)
    {
        foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            foreach (var (m, n, k) in new[] { (37, 53, 29), (64, 80, 600) })
            {
                var problem = Problem.Random(seed: 7, transA, transB, m, n, k);
                problem.AssertMatchesReference(OptionsFor(path), alpha, beta);
            }
        }
    }

    public static TheoryData<string, bool, bool> PathsTransposes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var path in Paths())
        {
            foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                data.Add(path, transA, transB);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsTransposes))]
    public void Multiply_LeadingDimensionsWiderThanRows_IgnoresPaddingAndLeavesItAlone(string path, bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (5, 1, 40), (1, 9, 40), (3, 5, 7), (45, 70, 33), (128, 100, 260) })
        {
            // Padding of A and B holds NaN: any read of it would poison C. Padding of C holds a sentinel that must survive.
            var problem = Problem.Random(seed: 11, transA, transB, m, n, k, padA: 3, padB: 5, padC: 7);
            problem.AssertMatchesReference(OptionsFor(path), alpha: 1.25f, beta: 0.5f);
        }
    }

    [Theory]
    [MemberData(nameof(PathsTransposes))]
    public void Multiply_BetaZeroWithNaNInC_OverwritesC(string path, bool transA, bool transB)
    {
        foreach (var (m, n, k) in new[] { (4, 6, 5), (40, 72, 50) })
        {
            var problem = Problem.Random(seed: 13, transA, transB, m, n, k);
            Array.Fill(problem.C, float.NaN);
            problem.AssertMatchesReference(OptionsFor(path), alpha: 1f, beta: 0f);
            Assert.DoesNotContain(problem.Result, float.IsNaN);
        }
    }

    [Theory]
    [MemberData(nameof(PathsTransposes))]
    public void Multiply_NaNInA_PropagatesToItsRowOnly(string path, bool transA, bool transB)
    {
        // BLAS does not skip zero or special operands: a NaN in op(A)[i, p] makes row i of C NaN, and only row i.
        var (m, n, k) = (40, 72, 50);
        var problem = Problem.Random(seed: 17, transA, transB, m, n, k);
        const int Row = 9, Depth = 21;
        problem.A[transA ? Depth * problem.Lda + Row : Row * problem.Lda + Depth] = float.NaN;
        var c = problem.Run(OptionsFor(path), 1f, 0f);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(i == Row, float.IsNaN(c[i * problem.Ldc + j]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(PathsTransposes))]
    public void Multiply_AlphaZero_DoesNotReadOperandsAndScalesC(string path, bool transA, bool transB)
    {
        var problem = Problem.Random(seed: 19, transA, transB, 33, 65, 40);
        Array.Fill(problem.A, float.NaN);
        Array.Fill(problem.B, float.NaN);
        var before = (float[])problem.C.Clone();
        var c = problem.Run(OptionsFor(path), alpha: 0f, beta: -0.5f);
        for (var i = 0; i < c.Length; i++)
        {
            Assert.Equal(-0.5f * before[i], c[i]);
        }
    }

    [Fact]
    public void Multiply_KZero_ScalesCAndIgnoresEmptyOperands()
    {
        var c = new float[] { 1, 2, float.NaN, 4, 5, 6 };
        Gemm.Multiply(false, false, 2, 3, 0, 1f, [], 1, [], 3, 2f, c, 3);
        Assert.Equal(new float[] { 2, 4, float.NaN, 8, 10, 12 }, c);
        Gemm.Multiply(false, false, 2, 3, 0, 1f, [], 1, [], 3, 0f, c, 3);
        Assert.Equal(new float[6], c);
    }

    [Fact]
    public void Multiply_EmptyResult_LeavesEverythingAlone()
    {
        var c = new float[] { 7 };
        Gemm.Multiply(false, false, 0, 5, 3, 1f, [], 3, new float[15], 5, 0f, [], 5);
        Gemm.Multiply(false, false, 1, 0, 3, 1f, new float[3], 3, [], 1, 0f, c, 1);
        Assert.Equal(7f, c[0]);
    }

    [Fact]
    public void Multiply_PublicEntryPoint_MatchesDoubleReference()
    {
        foreach (var (m, n, k) in new[] { (2, 3, 4), (128, 400, 784), (784, 400, 128) })
        {
            var problem = Problem.Random(seed: 23, false, true, m, n, k);
            var c = (float[])problem.C.Clone();
            Gemm.Multiply(false, true, m, n, k, 0.75f, problem.A, problem.Lda, problem.B, problem.Ldb, 0.5f, c, problem.Ldc);
            problem.AssertClose(c, 0.75f, 0.5f);
        }
    }

    public static TheoryData<string> BlockedPaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Paths().Where(p => p != "Simple"))
        {
            data.Add(path);
        }
        return data;
    }

    [Fact]
    public void Multiply_EveryKernelThisProcessorHas_GivesTheSameBits()
    {
        // Stored notebook outputs are reproducible across machines only if the kernel a CPU picks does not change the
        // bits: every kernel sums each element in the same k order, one fused multiply-add per step (the portable one
        // with Vector.FusedMultiplyAdd: NEON's on ARM64, emulated exactly where x64 lacks FMA).
        var kinds = new[] { GemmKernelKind.Avx512, GemmKernelKind.Avx2, GemmKernelKind.Vector }.Where(GemmKernelSet.IsSupported).ToArray();
        foreach (var (transA, transB, m, n, k) in new[] { (false, true, 128, 400, 784), (true, false, 784, 400, 128), (false, false, 97, 131, 517) })
        {
            var problem = Problem.Random(seed: 31, transA, transB, m, n, k);
            var portable = problem.Run(OptionsFor(GemmKernelKind.Vector.ToString()), 1f, 0.5f);
            foreach (var kind in kinds)
            {
                var result = problem.Run(OptionsFor(kind.ToString()), 1f, 0.5f);
                Assert.True(result.AsSpan().SequenceEqual(portable), $"The {kind} and portable kernels differ ({transA}, {transB}, {m}x{n}x{k})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockedPaths))]
    public void Multiply_RepeatedCallsAndThreadCounts_BitIdentical(string path)
    {
        // Every element is summed in an order fixed by k alone (the k blocks), never split across threads, so any
        // thread count and any scheduling give the same bits.
        foreach (var (transA, transB, m, n, k) in new[] { (false, true, 128, 400, 784), (true, false, 784, 400, 128), (false, false, 97, 131, 517) })
        {
            var problem = Problem.Random(seed: 29, transA, transB, m, n, k);
            var expected = problem.Run(OptionsFor(path, threads: 1), 1f, 0.5f);
            foreach (var threads in new[] { 1, 2, 3, 4, 2, 2 })
            {
                var actual = problem.Run(OptionsFor(path, threads), 1f, 0.5f);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{threads} threads gave different bits ({transA}, {transB}, {m}x{n}x{k})");
            }
        }
    }

    [Fact]
    public void Multiply_ConcurrentCallers_EachGetsItsOwnCorrectResult()
    {
        // Callers racing for the worker threads: the loser runs its parts on its own thread, and nothing is shared.
        var problems = Enumerable.Range(0, 6).Select(i => Problem.Random((ulong)(100 + i), i % 2 == 0, i % 3 == 0, 96 + i, 160 - i, 200 + 7 * i)).ToArray();
        var expected = problems.Select(p => p.Run(GemmOptions.Default with { MaxDegreeOfParallelism = 1 }, 1f, 0f)).ToArray();
        var results = new float[problems.Length][][];
        Parallel.For(0, problems.Length, new ParallelOptions { MaxDegreeOfParallelism = problems.Length }, i =>
        {
            results[i] = Enumerable.Range(0, 20).Select(_ => problems[i].Run(GemmOptions.Default with { MaxDegreeOfParallelism = 2, ParallelWork = 0 }, 1f, 0f)).ToArray();
        });
        for (var i = 0; i < problems.Length; i++)
        {
            Assert.All(results[i], r => Assert.True(expected[i].AsSpan().SequenceEqual(r)));
        }
    }

    [Fact]
    public void Multiply_NegativeSize_ThrowsArgumentOutOfRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Equal("m", ex.ParamName);
    }

    [Fact]
    public void Multiply_LeadingDimensionTooSmall_ThrowsArgumentOutOfRange()
    {
        // A transposed is stored k x m = 3 x 4, so lda must be at least 4.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(true, false, 4, 2, 3, 1f, new float[12], 3, new float[6], 2, 0f, new float[8], 2));
        Assert.Equal("lda", ex.ParamName);
        Assert.Contains("A", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 4, 2, 3, 1f, new float[12], 3, new float[6], 2, 0f, new float[8], 1));
    }

    [Fact]
    public void Multiply_SpanTooShort_ThrowsArgumentExceptionNamingMatrixAndSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 2, 3, 1f, new float[12], 3, new float[5], 2, 0f, new float[8], 2));
        Assert.Equal("b", ex.ParamName);
        Assert.Contains("3 x 2", ex.Message);
        Assert.Contains("needs 6", ex.Message);
    }

    [Fact]
    public void Multiply_COverlapsA_ThrowsArgumentException()
    {
        var buffer = new float[64];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, 1f, buffer.AsSpan(0, 16), 4, new float[16], 4, 0f, buffer.AsSpan(8, 16), 4));
        Assert.Equal("c", ex.ParamName);
    }

    [Fact]
    public void MaxDegreeOfParallelism_BelowOne_ThrowsAndKeepsValue()
    {
        var before = WorkerPool.MaxDegreeOfParallelism;
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.MaxDegreeOfParallelism = 0);
        Assert.Equal(before, WorkerPool.MaxDegreeOfParallelism);
        Assert.InRange(before, 1, 256);
    }

    /// <summary>Random operands stored with optional padding past each row (NaN in A and B, a sentinel in C).</summary>
    internal sealed class Problem
    {
        private const float CPadding = -12345f;

        private Problem(bool transA, bool transB, int m, int n, int k, int lda, int ldb, int ldc, float[] a, float[] b, float[] c)
        {
            (TransA, TransB, M, N, K, Lda, Ldb, Ldc, A, B, C) = (transA, transB, m, n, k, lda, ldb, ldc, a, b, c);
            Result = c;
        }

        public bool TransA { get; }
        public bool TransB { get; }
        public int M { get; }
        public int N { get; }
        public int K { get; }
        public int Lda { get; }
        public int Ldb { get; }
        public int Ldc { get; }
        public float[] A { get; }
        public float[] B { get; }

        /// <summary>C before the call.</summary>
        public float[] C { get; }

        /// <summary>C after the last <see cref="AssertMatchesReference"/>.</summary>
        public float[] Result { get; private set; }

        public static Problem Random(ulong seed, bool transA, bool transB, int m, int n, int k, int padA = 0, int padB = 0, int padC = 0)
        {
            var generator = new Generator(seed);
            var (aRows, aColumns) = transA ? (k, m) : (m, k);
            var (bRows, bColumns) = transB ? (n, k) : (k, n);
            var a = Fill(generator, aRows, aColumns, aColumns + padA, float.NaN);
            var b = Fill(generator, bRows, bColumns, bColumns + padB, float.NaN);
            var c = Fill(generator, m, n, n + padC, CPadding);
            return new Problem(transA, transB, m, n, k, aColumns + padA, bColumns + padB, n + padC, a, b, c);
        }

        private static float[] Fill(Generator generator, int rows, int columns, int leading, float padding)
        {
            // The last row carries no padding, as in a tight sub-matrix view at the end of a buffer.
            var data = new float[Math.Max(0, (rows - 1) * leading + columns)];
            Array.Fill(data, padding);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    data[r * leading + c] = 2 * generator.NextSingle() - 1;
                }
            }
            return data;
        }

        public float[] Run(GemmOptions options, float alpha, float beta)
        {
            var c = (float[])C.Clone();
            Gemm.Multiply(options, TransA, TransB, M, N, K, alpha, A, Lda, B, Ldb, beta, c, Ldc);
            return c;
        }

        public void AssertMatchesReference(GemmOptions options, float alpha, float beta)
        {
            Result = Run(options, alpha, beta);
            AssertClose(Result, alpha, beta);
        }

        /// <summary>Checks every element against the double-precision triple loop within gamma_(k+3) of its absolute sum, and C's padding untouched.</summary>
        public void AssertClose(float[] actual, float alpha, float beta)
        {
            var bound = Gamma(K + 3);
            // op(A) rows and op(B) columns as contiguous doubles, so each reference element is a dot product
            // (TensorPrimitives, so the reference is quick in Debug builds too; double rounding is ~1e-16, negligible).
            var rowA = new double[K];
            var absRowA = new double[K];
            var columnsB = new double[N * K];
            var absColumnsB = new double[N * K];
            for (var j = 0; j < N; j++)
            {
                for (var p = 0; p < K; p++)
                {
                    columnsB[j * K + p] = TransB ? B[j * Ldb + p] : B[p * Ldb + j];
                }
            }
            TensorPrimitives.Abs(columnsB, absColumnsB);
            for (var i = 0; i < M; i++)
            {
                for (var p = 0; p < K; p++)
                {
                    rowA[p] = (double)alpha * (TransA ? A[p * Lda + i] : A[i * Lda + p]);
                }
                TensorPrimitives.Abs(rowA, absRowA);
                for (var j = 0; j < N; j++)
                {
                    double exact = 0, magnitude = 0;
                    if (alpha != 0)
                    {
                        exact = TensorPrimitives.Dot(rowA, columnsB.AsSpan(j * K, K));
                        magnitude = TensorPrimitives.Dot(absRowA, absColumnsB.AsSpan(j * K, K));
                    }
                    if (beta != 0)
                    {
                        exact += (double)beta * C[i * Ldc + j];
                        magnitude += Math.Abs((double)beta * C[i * Ldc + j]);
                    }
                    var value = actual[i * Ldc + j];
                    if (!(Math.Abs(value - exact) <= bound * magnitude))
                    {
                        Assert.Fail($"C[{i}, {j}] = {value} but the reference is {exact} (|error| {Math.Abs(value - exact):E3} > {bound:E3} * {magnitude:E3}); " +
                            $"{(TransA ? "A^T" : "A")} x {(TransB ? "B^T" : "B")}, {M}x{N}x{K}, alpha {alpha}, beta {beta}");
                    }
                }
                for (var j = N; j < Ldc && i < M - 1; j++)
                {
                    Assert.Equal(CPadding, actual[i * Ldc + j]);
                }
            }
        }
    }
}

/// <summary>GEMM's allocation behaviour, measured with no other test using the shared array pool.</summary>
[Collection(MeasuresProcessMemoryCollection.Name)]
public class GemmAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Multiply_SteadyState_AllocatesNothingOnTheCallingThread(int threads)
    {
        // Packing buffers come from ArrayPool and the fork-join hand-off reuses static state, so once warm a call
        // allocates nothing on the calling thread. Runs alone: a test on another thread holding the shared pool's
        // buffers would make a Rent here allocate a fresh array.
        var options = GemmOptions.Default with { MaxDegreeOfParallelism = threads };
        foreach (var (transA, transB, m, n, k) in new[] { (false, true, 128, 400, 784), (true, false, 784, 400, 128), (false, false, 3, 300, 200), (false, true, 100, 2, 50) })
        {
            var problem = GemmTests.Problem.Random(seed: 31, transA, transB, m, n, k);
            var c = (float[])problem.C.Clone();
            for (var i = 0; i < 3; i++)
            {
                Gemm.Multiply(options, transA, transB, m, n, k, 1f, problem.A, problem.Lda, problem.B, problem.Ldb, 0f, c, problem.Ldc);
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 5; i++)
            {
                Gemm.Multiply(options, transA, transB, m, n, k, 1f, problem.A, problem.Lda, problem.B, problem.Ldb, 0f, c, problem.Ldc);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
