using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Generative.Tensors.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the k-major slivers the micro-kernels stream through (GotoBLAS/BLIS
/// packing). Transposes happen here, so the micro-kernels see one layout whatever the flags; tails are padded
/// with zeros, which add exactly nothing to the sums.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Full slivers of an untransposed B packed together, row by row (see <see cref="PackB"/>).</summary>
    private const int GroupSlivers = 16;

    /// <summary>
    /// Packs rows [i0, i0 + rows) and columns [p0, p0 + kc) of alpha * op(A) into slivers of <paramref name="mr"/>
    /// rows: sliver s holds dst[s * kc * mr + p * mr + r] = alpha * op(A)[i0 + s * mr + r, p0 + p], zero past the last row.
    /// A is passed as stored: m x k (lda) when not transposed, k x m (lda) when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int i0, int rows, int p0, int kc, float alpha, int mr, float* dst)
    {
        for (var s = 0; s < rows; s += mr)
        {
            var r = Math.Min(mr, rows - s);
            var sliver = dst + (nint)s * kc;
            if (transA)
            {
                // op(A)[i, p] = a[p * lda + i]: each k step is a contiguous run of r floats.
                CopyRows(a + (nint)p0 * lda + i0 + s, lda, kc, r, mr, alpha, sliver);
            }
            else
            {
                // op(A)[i, p] = a[i * lda + p]: rows of A become columns of the sliver.
                TransposeRows(a + (nint)(i0 + s) * lda + p0, lda, r, kc, mr, alpha, sliver);
            }
        }
    }

    /// <summary>
    /// Packs rows [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) into slivers: full slivers of <paramref name="nr"/>
    /// columns and, when at most nr/2 columns remain, one half sliver of nr/2 (matching the half-width micro-kernel).
    /// Sliver s starting at column offset j (a multiple of nr) is stored at dst + j * kc with row stride = its width.
    /// B is passed as stored: k x n (ldb) when not transposed, n x k (ldb) when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int cols, int nr, float* dst)
    {
        var j = 0;
        if (!transB && nr % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            // Full slivers in groups, row by row of B within a group, so the reads stream along memory (a large B
            // comes from DRAM; one sliver at a time reads 128 bytes per row at a stride of ldb, which prefetchers
            // follow poorly: 128x6272x1024 ran at 165 GFLOP/s that way, 175 with groups of 16 or more). Groups are
            // bounded because the slivers' rows are kc * nr floats apart, a multiple of 4 KiB, so their writes
            // share one L1 set.
            var fullColumns = cols / nr * nr;
            var group = GroupSlivers * nr;
            for (var g = 0; g < fullColumns; g += group)
            {
                var groupEnd = Math.Min(fullColumns, g + group);
                for (var p = 0; p < kc; p++)
                {
                    var source = b + (nint)(p0 + p) * ldb + j0;
                    var target = dst + (nint)p * nr;
                    if (nr == 32 && Vector512.IsHardwareAccelerated)
                    {
                        for (var q = g; q < groupEnd; q += 32)
                        {
                            var d = target + (nint)q * kc;
                            Vector512.Store(Vector512.Load(source + q), d);
                            Vector512.Store(Vector512.Load(source + q + 16), d + 16);
                        }
                    }
                    else
                    {
                        for (var q = g; q < groupEnd; q += nr)
                        {
                            var d = target + (nint)q * kc;
                            for (var r = 0; r < nr; r += 8)
                            {
                                Vector256.Store(Vector256.Load(source + q + r), d + r);
                            }
                        }
                    }
                }
            }
            j = fullColumns;
        }
        for (; j < cols; j += nr)
        {
            var valid = Math.Min(nr, cols - j);
            var width = SliverWidth(valid, nr);
            var sliver = dst + (nint)j * kc;
            if (transB)
            {
                // op(B)[p, j] = b[j * ldb + p]: rows of B become columns of the sliver.
                TransposeRows(b + (nint)(j0 + j) * ldb + p0, ldb, valid, kc, width, 1f, sliver);
            }
            else
            {
                CopyRows(b + (nint)p0 * ldb + j0 + j, ldb, kc, valid, width, 1f, sliver);
            }
        }
    }

    /// <summary>Width of the sliver that holds <paramref name="valid"/> remaining columns: nr, or nr/2 for a short tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SliverWidth(int valid, int nr) => valid <= nr / 2 ? nr / 2 : nr;

    /// <summary>dst[p * width + j] = scale * src[p * ld + j] for j &lt; valid, 0 for valid &lt;= j &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows(float* src, nint ld, int count, int valid, int width, float scale, float* dst)
    {
        if (valid == width && scale == 1f)
        {
            if (width == 32 && Vector512.IsHardwareAccelerated)
            {
                for (var p = 0; p < count; p++, src += ld, dst += 32)
                {
                    Vector512.Store(Vector512.Load(src), dst);
                    Vector512.Store(Vector512.Load(src + 16), dst + 16);
                }
                return;
            }
            if (width == 16 && Vector512.IsHardwareAccelerated)
            {
                for (var p = 0; p < count; p++, src += ld, dst += 16)
                {
                    Vector512.Store(Vector512.Load(src), dst);
                }
                return;
            }
            if (width == 8 && Vector256.IsHardwareAccelerated)
            {
                for (var p = 0; p < count; p++, src += ld, dst += 8)
                {
                    Vector256.Store(Vector256.Load(src), dst);
                }
                return;
            }
        }
        for (var p = 0; p < count; p++, src += ld, dst += width)
        {
            var j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var s = Vector256.Create(scale);
                for (; j + 8 <= valid; j += 8)
                {
                    Vector256.Store(Vector256.Load(src + j) * s, dst + j);
                }
            }
            for (; j < valid; j++)
            {
                dst[j] = scale * src[j];
            }
            for (; j < width; j++)
            {
                dst[j] = 0f;
            }
        }
    }

    /// <summary>
    /// dst[p * width + r] = scale * src[r * ld + p] for r &lt; rows, p &lt; count; 0 for rows &lt;= r &lt; width.
    /// Eight rows at a time go through an 8 x 8 register transpose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeRows(float* src, nint ld, int rows, int count, int width, float scale, float* dst)
    {
        if (Avx.IsSupported && width < 8)
        {
            TransposeNarrow(src, ld, rows, count, width, scale, dst);
            return;
        }
        var r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= rows; r += 8)
            {
                Transpose8Rows(src + r * ld, ld, count, width, scale, dst + r);
            }
        }
        for (; r < rows; r++)
        {
            var row = src + r * ld;
            var d = dst + r;
            for (var p = 0; p < count; p++)
            {
                d[(nint)p * width] = scale * row[p];
            }
        }
        if (rows < width)
        {
            for (var p = 0; p < count; p++)
            {
                new Span<float>(dst + (nint)p * width + rows, width - rows).Clear();
            }
        }
    }

    /// <summary>dst[p * width + r] = scale * src[r * ld + p] for r &lt; 8, p &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8Rows(float* src, nint ld, int count, int width, float scale, float* dst)
    {
        var s0 = src;
        var s1 = src + ld;
        var s2 = src + 2 * ld;
        var s3 = src + 3 * ld;
        var s4 = src + 4 * ld;
        var s5 = src + 5 * ld;
        var s6 = src + 6 * ld;
        var s7 = src + 7 * ld;
        var p = 0;
        var sv = Vector256.Create(scale);
        nint w = width;
        for (; p + 8 <= count; p += 8)
        {
            Transpose8x8(
                Vector256.Load(s0 + p), Vector256.Load(s1 + p), Vector256.Load(s2 + p), Vector256.Load(s3 + p),
                Vector256.Load(s4 + p), Vector256.Load(s5 + p), Vector256.Load(s6 + p), Vector256.Load(s7 + p),
                out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
            var d = dst + p * w;
            if (scale != 1f)
            {
                o0 *= sv; o1 *= sv; o2 *= sv; o3 *= sv; o4 *= sv; o5 *= sv; o6 *= sv; o7 *= sv;
            }
            Vector256.Store(o0, d);
            Vector256.Store(o1, d + w);
            Vector256.Store(o2, d + 2 * w);
            Vector256.Store(o3, d + 3 * w);
            Vector256.Store(o4, d + 4 * w);
            Vector256.Store(o5, d + 5 * w);
            Vector256.Store(o6, d + 6 * w);
            Vector256.Store(o7, d + 7 * w);
        }
        for (; p < count; p++)
        {
            var d = dst + p * w;
            d[0] = scale * s0[p];
            d[1] = scale * s1[p];
            d[2] = scale * s2[p];
            d[3] = scale * s3[p];
            d[4] = scale * s4[p];
            d[5] = scale * s5[p];
            d[6] = scale * s6[p];
            d[7] = scale * s7[p];
        }
    }

    /// <summary>
    /// <see cref="TransposeRows"/> for slivers narrower than a vector (the AVX2 kernel's 6 rows): up to 8 rows go
    /// through the 8 x 8 transpose with absent rows read as zero, and each output row is stored as a full vector that
    /// the next one overwrites past <paramref name="width"/>; the last row of each block is stored lane by lane, so
    /// nothing is written past the sliver.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeNarrow(float* src, nint ld, int rows, int count, int width, float scale, float* dst)
    {
        var s0 = src;
        var s1 = src + Math.Min(1, rows - 1) * ld;
        var s2 = src + Math.Min(2, rows - 1) * ld;
        var s3 = src + Math.Min(3, rows - 1) * ld;
        var s4 = src + Math.Min(4, rows - 1) * ld;
        var s5 = src + Math.Min(5, rows - 1) * ld;
        var s6 = src + Math.Min(6, rows - 1) * ld;
        var s7 = src + Math.Min(7, rows - 1) * ld;
        // Rows past the last valid one re-read it (always in bounds) and are then cleared bit-wise by the mask.
        var keep = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(rows)).AsSingle();
        var sv = Vector256.Create(scale);
        nint w = width;
        var p = 0;
        for (; p + 8 <= count; p += 8)
        {
            Transpose8x8(
                Vector256.Load(s0 + p), Vector256.Load(s1 + p), Vector256.Load(s2 + p), Vector256.Load(s3 + p),
                Vector256.Load(s4 + p), Vector256.Load(s5 + p), Vector256.Load(s6 + p), Vector256.Load(s7 + p),
                out var o0, out var o1, out var o2, out var o3, out var o4, out var o5, out var o6, out var o7);
            var d = dst + p * w;
            Vector256.Store(o0 * sv & keep, d);
            Vector256.Store(o1 * sv & keep, d + w);
            Vector256.Store(o2 * sv & keep, d + 2 * w);
            Vector256.Store(o3 * sv & keep, d + 3 * w);
            Vector256.Store(o4 * sv & keep, d + 4 * w);
            Vector256.Store(o5 * sv & keep, d + 5 * w);
            Vector256.Store(o6 * sv & keep, d + 6 * w);
            var last = o7 * sv & keep;
            for (var r = 0; r < width; r++)
            {
                d[7 * w + r] = last.GetElement(r);
            }
        }
        for (; p < count; p++)
        {
            var d = dst + p * w;
            for (var r = 0; r < width; r++)
            {
                d[r] = r < rows ? scale * src[r * ld + p] : 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3,
        out Vector256<float> o4, out Vector256<float> o5, out Vector256<float> o6, out Vector256<float> o7)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        o0 = Avx.Permute2x128(u0, u4, 0x20);
        o1 = Avx.Permute2x128(u1, u5, 0x20);
        o2 = Avx.Permute2x128(u2, u6, 0x20);
        o3 = Avx.Permute2x128(u3, u7, 0x20);
        o4 = Avx.Permute2x128(u0, u4, 0x31);
        o5 = Avx.Permute2x128(u1, u5, 0x31);
        o6 = Avx.Permute2x128(u2, u6, 0x31);
        o7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
