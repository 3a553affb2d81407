using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Generative.Tensors.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major spans (BLAS SGEMM):
/// <c>C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C</c>, where op(X) is X or its transpose.
/// </summary>
/// <remarks>
/// <para>The GotoBLAS/BLIS structure: for each kc x nc panel of op(B), packed into k-major slivers NR columns wide,
/// and each mc x kc block of op(A), packed into slivers MR rows tall, a register micro-kernel accumulates an
/// MR x NR tile of C over kc (AVX-512: 8 x 32; AVX2 + FMA: 6 x 16; otherwise <see cref="System.Numerics.Vector{T}"/>).
/// Transposes are absorbed by the packing, so all four flag combinations run the same kernel.</para>
/// <para>Large products are split over up to <see cref="WorkerPool.MaxDegreeOfParallelism"/> threads along n (or m, whichever
/// duplicates less packing). Every element of C is summed in the same order whatever the split, and every micro-kernel
/// accumulates with fused multiply-adds over the same kc blocks, so results are bit-identical across calls, thread
/// counts and instruction sets (AVX-512, AVX2, NEON, and SSE with its fused multiply-add emulated). Small products
/// (m * n * k below a threshold, or a skinny m or n) take a simple vectorised loop on the calling thread. Scratch memory comes from <see cref="ArrayPool{T}.Shared"/>; a call allocates nothing.</para>
/// <para>As in BLAS, beta = 0 overwrites C without reading it (NaN or infinity in C does not propagate), and when
/// alpha = 0 or k = 0 the operands are not read (C = beta * C).</para>
/// </remarks>
public static class Gemm
{
    /// <summary>Below this many multiply-adds (m * n * k) the simple path wins over packing (measured: 8^3 yes, 16^3 no).</summary>
    internal const long DefaultSmallWork = 12 * 12 * 12;

    /// <summary>With m or n below this the product is a (few) matrix-vector product(s): the simple path streams the big operand once.</summary>
    internal const int SkinnyBelow = 4;

    /// <summary>Below this many multiply-adds a product runs on one thread: a second thread re-packs one operand and
    /// costs a hand-off of about a microsecond, which 32^3 does not repay on two cores and 64^3 does (measured).</summary>
    internal const long DefaultParallelWork = 64 * 64 * 64;

    /// <summary>
    /// <c>C = alpha * op(A) * op(B) + beta * C</c> with op(A) of shape (m, k), op(B) of shape (k, n) and C of shape (m, n).
    /// </summary>
    /// <param name="transA">When true, A is stored as k x m and op(A) = A^T; otherwise A is stored as m x k.</param>
    /// <param name="transB">When true, B is stored as n x k and op(B) = B^T; otherwise B is stored as k x n.</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major: element (r, c) of the stored matrix at <c>a[r * lda + c]</c>.</param>
    /// <param name="lda">Leading dimension of A: at least its stored column count (m when transposed, else k), and at least 1.</param>
    /// <param name="b">B, row-major: element (r, c) of the stored matrix at <c>b[r * ldb + c]</c>.</param>
    /// <param name="ldb">Leading dimension of B: at least its stored column count (k when transposed, else n), and at least 1.</param>
    /// <param name="beta">Scale of the existing C; 0 means C is write-only.</param>
    /// <param name="c">C, row-major: element (i, j) at <c>c[i * ldc + j]</c>; must not overlap A or B.</param>
    /// <param name="ldc">Leading dimension of C: at least n, and at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for its matrix, or C overlaps A or B.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(GemmOptions.Default, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with explicit kernel, thresholds and thread count (tests and benchmarks force each path with it).</summary>
    internal static unsafe void Multiply(in GemmOptions options, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var aLength = RequiredLength("A", transA ? k : m, transA ? m : k, lda, a.Length, nameof(lda));
        var bLength = RequiredLength("B", transB ? n : k, transB ? k : n, ldb, b.Length, nameof(ldb));
        var cLength = RequiredLength("C", m, n, ldc, c.Length, nameof(ldc));
        if (m == 0 || n == 0)
        {
            return;
        }
        var cUsed = c[..cLength];
        if (cUsed.Overlaps(a[..aLength]) || cUsed.Overlaps(b[..bLength]))
        {
            throw new ArgumentException("Gemm.Multiply: C must not overlap A or B.", nameof(c));
        }
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        var work = (long)m * n * k;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (work < options.SmallWork || (options.SmallWork > 0 && (m < SkinnyBelow || n < SkinnyBelow)))
            {
                MultiplySmall(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }
            var job = new BlockedJob(GemmKernelSet.Get(options.Kernel), options, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            RunBlocked(ref job, options, work);
        }
    }

    /// <summary>Splits a blocked product over the threads its work is worth and runs it.</summary>
    private static unsafe void RunBlocked(ref BlockedJob job, in GemmOptions options, long work)
    {
        job.Partition(work < options.ParallelWork ? 1 : Math.Max(1, options.MaxDegreeOfParallelism));
        fixed (BlockedJob* state = &job)
        {
            if (job.Parts == 1)
            {
                BlockedJob.RunPart(state, 0);
            }
            else
            {
                WorkerPool.Run(&BlockedJob.RunPart, state, job.Parts);
            }
        }
    }

    /// <summary>
    /// <c>C = alpha * op(A) * op(B) + beta * C</c> for an op(B) that is never stored: <paramref name="b"/> packs its
    /// panels straight into the GEMM's slivers, as <see cref="GemmPacking.PackB"/> would from the stored matrix, so the
    /// result has the same bits as <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with it. Returns false without touching C when that product would not take the blocked path (tiny or
    /// skinny products read B in place): the caller then stores B and calls Multiply.
    /// </summary>
    internal static unsafe bool MultiplyPackedB(bool transA, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        GemmOperandB b, float beta, Span<float> c, int ldc)
    {
        if (alpha == 0f || !TakesBlockedPath(m, n, k))
        {
            return false;
        }
        var options = GemmOptions.Default;
        var work = (long)m * n * k;
        RequiredLength("A", transA ? k : m, transA ? m : k, lda, a.Length, nameof(lda));
        RequiredLength("C", m, n, ldc, c.Length, nameof(ldc));
        fixed (float* pa = a)
        fixed (float* pc = c)
        {
            var job = new BlockedJob(GemmKernelSet.Get(options.Kernel), options, transA, false, m, n, k, alpha, pa, lda, null, 0, beta, pc, ldc);
            job.PackedB = b;
            RunBlocked(ref job, options, work);
        }
        return true;
    }

    /// <summary>Whether <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// packs its operands for an m x n x k product with nonzero alpha (else it takes the simple path, or has nothing to do).</summary>
    internal static bool TakesBlockedPath(int m, int n, int k) =>
        m > 0 && n > 0 && k > 0 && (long)m * n * k >= DefaultSmallWork && m >= SkinnyBelow && n >= SkinnyBelow;

    /// <summary>Validates a stored matrix and returns how many floats it spans.</summary>
    private static int RequiredLength(string name, int rows, int columns, int leading, int available, string leadingName)
    {
        if (leading < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(leadingName, leading,
                $"Gemm.Multiply: leading dimension of {name} must be at least max(1, {columns}) for a {rows} x {columns} stored matrix.");
        }
        var required = rows == 0 || columns == 0 ? 0L : (long)(rows - 1) * leading + columns;
        if (required > available)
        {
            throw new ArgumentException(
                $"Gemm.Multiply: {name} is stored as {rows} x {columns} with leading dimension {leading}, which needs {required} elements, but the span has {available}.",
                name.ToLowerInvariant());
        }
        return (int)required;
    }

    /// <summary>C = beta * C; beta = 0 writes zeros without reading C.</summary>
    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f)
        {
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    /// <summary>
    /// The simple path for tiny or skinny products, row by row of C on the calling thread: with B not transposed and
    /// n &gt;= 8, C[i, :] += (alpha * A[i, p]) * B[p, :] (one vectorised pass over B per row: GEMV with m = 1 streams B
    /// once); otherwise each C[i, j] += alpha * (row i of op(A)) . (column j of op(B)), both made contiguous first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MultiplySmall(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
    {
        for (var i = 0; i < m; i++)
        {
            ScaleRow(c + i * ldc, n, beta);
        }
        if (!transB && n >= 8)
        {
            for (var i = 0; i < m; i++)
            {
                var row = c + i * ldc;
                for (var p = 0; p < k; p++)
                {
                    var aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                    Axpy(aip, b + p * ldb, row, n);
                }
            }
            return;
        }

        // Dot-product form: row i of op(A) against column j of op(B), gathered into scratch when strided.
        // Columns of op(B) are contiguous when B is transposed, or when it is a single column with ldb = 1.
        var contiguousB = transB || (n == 1 && ldb == 1);
        var needA = transA ? k : 0;
        var needB = contiguousB ? 0 : n * k;
        var rented = needA + needB == 0 ? null : ArrayPool<float>.Shared.Rent(needA + needB);
        try
        {
            fixed (float* scratch = rented)
            {
                var aColumn = scratch;
                var bColumns = scratch + needA;
                if (!contiguousB)
                {
                    for (var p = 0; p < k; p++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            bColumns[j * k + p] = b[p * ldb + j];
                        }
                    }
                }
                for (var i = 0; i < m; i++)
                {
                    float* aRow;
                    if (transA)
                    {
                        for (var p = 0; p < k; p++)
                        {
                            aColumn[p] = a[p * lda + i];
                        }
                        aRow = aColumn;
                    }
                    else
                    {
                        aRow = a + i * lda;
                    }
                    var row = c + i * ldc;
                    for (var j = 0; j < n; j++)
                    {
                        var bColumn = transB ? b + j * ldb : contiguousB ? b : bColumns + (nint)j * k;
                        row[j] += alpha * Dot(aRow, bColumn, k);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>row[j] = beta * row[j], with beta = 0 writing zeros without reading.</summary>
    private static unsafe void ScaleRow(float* row, int n, float beta)
    {
        if (beta == 0f)
        {
            new Span<float>(row, n).Clear();
        }
        else if (beta != 1f)
        {
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var scale = new Vector<float>(beta);
                for (; j + Vector<float>.Count <= n; j += Vector<float>.Count)
                {
                    Vector.Store(scale * Vector.Load(row + j), row + j);
                }
            }
            for (; j < n; j++)
            {
                row[j] *= beta;
            }
        }
    }

    /// <summary>y[j] += s * x[j] for j &lt; n: a multiply then an add in every lane and in the tail, so the bits do not
    /// depend on the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Axpy(float s, float* x, float* y, int n)
    {
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(s);
            for (; j + Vector<float>.Count <= n; j += Vector<float>.Count)
            {
                Vector.Store(Vector.Load(y + j) + scale * Vector.Load(x + j), y + j);
            }
        }
        for (; j < n; j++)
        {
            y[j] += s * x[j];
        }
    }

    /// <summary>sum x[p] * y[p] for p &lt; k, in <see cref="Reproducible"/>'s 16 logical lanes.</summary>
    private static unsafe float Dot(float* x, float* y, int k) =>
        Reproducible.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(y, k));

    /// <summary>One blocked product, split into parts that each own a band of rows or columns of C.</summary>
    private unsafe struct BlockedJob
    {
        private readonly GemmKernelSet _kernels;
        private readonly bool _transA, _transB;
        private readonly int _m, _n, _k;
        private readonly float _alpha, _beta;
        private readonly float* _a, _b, _c;
        private readonly nint _lda, _ldb, _ldc;
        private readonly int _kc, _mc, _nc;
        private bool _splitColumns;
        private int _granule, _units;

        /// <summary>When set, packs op(B)'s panels in place of <see cref="GemmPacking.PackB"/> (B itself is not stored).</summary>
        public GemmOperandB PackedB;

        public BlockedJob(GemmKernelSet kernels, in GemmOptions options, bool transA, bool transB, int m, int n, int k,
            float alpha, float* a, nint lda, float* b, nint ldb, float beta, float* c, nint ldc)
        {
            _kernels = kernels;
            _transA = transA;
            _transB = transB;
            _m = m;
            _n = n;
            _k = k;
            _alpha = alpha;
            _beta = beta;
            _a = a;
            _b = b;
            _c = c;
            _lda = lda;
            _ldb = ldb;
            _ldc = ldc;
            var blocking = options.Blocking ?? GemmBlocking.For(kernels);
            // Split k into equal blocks no larger than the cache allows (784 -> 4 x 196, not 3 x 256 + 16). The
            // split depends on k alone, so every element's summation order is fixed.
            var kBlocks = (k + blocking.Kc - 1) / blocking.Kc;
            _kc = (k + kBlocks - 1) / kBlocks;
            _mc = RoundUp(blocking.Mc, kernels.Mr);
            _nc = RoundUp(blocking.Nc, kernels.Nr);
        }

        public int Parts { get; private set; }

        /// <summary>Chooses the split: along n when re-packing op(A) per part (m * k each) is cheaper than op(B) (k * n).</summary>
        public void Partition(int threads)
        {
            _splitColumns = _m <= _n;
            _granule = _splitColumns ? _kernels.Nr / 2 : _kernels.Mr;
            _units = ((_splitColumns ? _n : _m) + _granule - 1) / _granule;
            Parts = Math.Clamp(Math.Min(threads, _units), 1, WorkerPool.MaxThreads);
        }

        public static void RunPart(void* state, int part)
        {
            ref var job = ref Unsafe.AsRef<BlockedJob>(state);
            var extent = job._splitColumns ? job._n : job._m;
            var start = (int)Math.Min(extent, (long)part * job._units / job.Parts * job._granule);
            var end = (int)Math.Min(extent, (long)(part + 1) * job._units / job.Parts * job._granule);
            if (start >= end)
            {
                return;
            }
            if (job._splitColumns)
            {
                job.Run(0, job._m, start, end);
            }
            else
            {
                job.Run(start, end, 0, job._n);
            }
        }

        /// <summary>Computes the block C[m0..m1, n0..n1] (jc, pc, ic, jr, ir loops of GotoBLAS).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Run(int m0, int m1, int n0, int n1)
        {
            var kernels = _kernels;
            int mr = kernels.Mr, nr = kernels.Nr, kc = _kc;
            var mcMax = Math.Min(_mc, RoundUp(m1 - m0, mr));
            var ncMax = Math.Min(_nc, RoundUp(n1 - n0, nr));
            var aSize = mcMax * kc;
            var bSize = ncMax * kc;
            const int Align = 16; // floats: 64 bytes
            var scratch = ArrayPool<float>.Shared.Rent(aSize + bSize + mr * nr + 3 * Align);
            try
            {
                fixed (float* raw = scratch)
                {
                    var aPack = AlignUp(raw);
                    var bPack = AlignUp(aPack + aSize);
                    var tile = AlignUp(bPack + bSize);
                    for (var jc = n0; jc < n1; jc += _nc)
                    {
                        var nc = Math.Min(_nc, n1 - jc);
                        for (var pc = 0; pc < _k; pc += kc)
                        {
                            var kb = Math.Min(kc, _k - pc);
                            if (PackedB.Pack != null)
                            {
                                PackedB.Pack(PackedB.State, pc, kb, jc, nc, nr, bPack);
                            }
                            else
                            {
                                GemmPacking.PackB(_transB, _b, _ldb, pc, kb, jc, nc, nr, bPack);
                            }
                            var beta = pc == 0 ? _beta : 1f;
                            for (var ic = m0; ic < m1; ic += _mc)
                            {
                                var mc = Math.Min(_mc, m1 - ic);
                                GemmPacking.PackA(_transA, _a, _lda, ic, mc, pc, kb, _alpha, mr, aPack);
                                Macro(kernels, kb, mc, nc, aPack, bPack, _c + ic * _ldc + jc, _ldc, beta, tile);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        /// <summary>The jr and ir loops over packed slivers: full tiles straight into C, edge tiles through a scratch tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Macro(GemmKernelSet kernels, int kc, int mc, int nc, float* aPack, float* bPack,
            float* c, nint ldc, float beta, float* tile)
        {
            int mr = kernels.Mr, nr = kernels.Nr;
            for (var j = 0; j < nc; j += nr)
            {
                var valid = Math.Min(nr, nc - j);
                var width = GemmPacking.SliverWidth(valid, nr);
                var kernel = width == nr ? kernels.Full : kernels.Half;
                var bSliver = bPack + (nint)j * kc;
                for (var i = 0; i < mc; i += mr)
                {
                    var rows = Math.Min(mr, mc - i);
                    var aSliver = aPack + (nint)i * kc;
                    var cTile = c + i * ldc + j;
                    if (rows == mr && valid == width)
                    {
                        kernel(kc, aSliver, bSliver, cTile, ldc, beta);
                    }
                    else
                    {
                        kernel(kc, aSliver, bSliver, tile, width, 0f);
                        MergeTile(tile, width, cTile, ldc, rows, valid, beta);
                    }
                }
            }
        }

        /// <summary>C[r, j] = (beta == 0 ? 0 : beta * C[r, j]) + tile[r, j] for the valid part of an edge tile, as the kernels do.</summary>
        private static void MergeTile(float* tile, int width, float* c, nint ldc, int rows, int valid, float beta)
        {
            for (var r = 0; r < rows; r++)
            {
                var t = tile + r * width;
                var row = c + r * ldc;
                for (var j = 0; j < valid; j++)
                {
                    row[j] = beta == 0f ? t[j] : beta == 1f ? row[j] + t[j] : MathF.FusedMultiplyAdd(beta, row[j], t[j]);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float* AlignUp(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

/// <summary>
/// An op(B) for <see cref="Gemm.MultiplyPackedB"/> that is computed while it is packed: <c>Pack(State, p0, kc, j0, cols,
/// nr, dst)</c> must write rows [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) in <see cref="GemmPacking.PackB"/>'s
/// layout (slivers of nr columns, a half sliver for a short tail, zeros past the last column). It runs on the GEMM's
/// worker threads, several calls at once.
/// </summary>
internal readonly unsafe struct GemmOperandB(delegate*<void*, int, int, int, int, int, float*, void> pack, void* state)
{
    public delegate*<void*, int, int, int, int, int, float*, void> Pack { get; } = pack;

    public void* State { get; } = state;
}

/// <summary>Cache blocking of the packed operands: kc (depth of a sliver), mc (rows of a packed A block), nc (columns of a packed B panel).</summary>
internal readonly record struct GemmBlocking(int Kc, int Mc, int Nc)
{
    public static GemmBlocking For(GemmKernelSet kernels) => kernels.Kind switch
    {
        // B sliver kc x 32 floats (32 KiB at kc = 256) stays in L1 while A slivers stream from an L2-sized block.
        GemmKernelKind.Avx512 => new GemmBlocking(256, 192, 2048),
        GemmKernelKind.Avx2 => new GemmBlocking(256, 144, 2048),
        _ => new GemmBlocking(256, 128, 2048),
    };
}

/// <summary>
/// Knobs of <see cref="Gemm"/> that the public API fixes; tests force each kernel and path through them.
/// <see cref="SmallWork"/>: products with fewer multiply-adds (or, when it is positive, with m or n below 4) take the
/// simple path; 0 forces the blocked path, <see cref="long.MaxValue"/> the simple one. <see cref="ParallelWork"/>:
/// products with fewer multiply-adds stay on one thread.
/// </summary>
internal readonly record struct GemmOptions(
    GemmKernelKind Kernel, long SmallWork, long ParallelWork, int MaxDegreeOfParallelism, GemmBlocking? Blocking = null)
{
    public static GemmOptions Default => new(GemmKernelKind.Auto, Gemm.DefaultSmallWork, Gemm.DefaultParallelWork, WorkerPool.MaxDegreeOfParallelism);
}
