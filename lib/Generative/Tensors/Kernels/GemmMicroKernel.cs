using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Generative.Tensors.Kernels;

/// <summary>The instruction sets a GEMM micro-kernel can be built on; <see cref="Auto"/> picks the widest available.</summary>
internal enum GemmKernelKind
{
    /// <summary>The widest of the others that the processor supports.</summary>
    Auto,

    /// <summary>AVX-512F: 8 x 32 register tile of <see cref="Vector512{T}"/> with fused multiply-add.</summary>
    Avx512,

    /// <summary>AVX2 + FMA3: 6 x 16 register tile of <see cref="Vector256{T}"/> with fused multiply-add.</summary>
    Avx2,

    /// <summary>Portable <see cref="Vector{T}"/>: 4 x (2 * Vector&lt;float&gt;.Count) tile with fused multiply-add (NEON's on ARM64;
    /// emulated exactly in double precision on an x64 without FMA: <see cref="ExactFma"/>), so it gives the AVX kernels' bits.</summary>
    Vector,
}

/// <summary>
/// A register-blocked micro-kernel: C[MR, w] (op) A~[MR, kc] * B~[kc, w] where A~ is a packed sliver stored
/// k-major (kc rows of MR floats) and B~ a packed sliver stored k-major (kc rows of w floats), w = <see cref="Nr"/>
/// for <see cref="Full"/> and <see cref="Nr"/>/2 for <see cref="Half"/>. Each kernel writes row r of the tile to
/// c + r * ldc as: beta == 0: C = acc (C is never read, so NaNs in it vanish); beta == 1: C = C + acc;
/// otherwise C = beta * C + acc (one fused multiply-add in every kernel).
/// Alpha is folded into A~ when it is packed.
/// </summary>
internal readonly unsafe struct GemmKernelSet
{
    public GemmKernelSet(GemmKernelKind kind, int mr, int nr,
        delegate*<nint, float*, float*, float*, nint, float, void> full,
        delegate*<nint, float*, float*, float*, nint, float, void> half)
    {
        Kind = kind;
        Mr = mr;
        Nr = nr;
        Full = full;
        Half = half;
    }

    public GemmKernelKind Kind { get; }

    /// <summary>Rows of the register tile (rows of op(A) per packed sliver).</summary>
    public int Mr { get; }

    /// <summary>Columns of the full register tile (columns of op(B) per packed sliver); a half-width kernel covers tails.</summary>
    public int Nr { get; }

    public delegate*<nint, float*, float*, float*, nint, float, void> Full { get; }

    public delegate*<nint, float*, float*, float*, nint, float, void> Half { get; }

    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Auto => true,
        GemmKernelKind.Avx512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        GemmKernelKind.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        GemmKernelKind.Vector => true,
        _ => false,
    };

    public static GemmKernelSet Get(GemmKernelKind kind)
    {
        if (kind == GemmKernelKind.Auto)
        {
            kind = IsSupported(GemmKernelKind.Avx512) ? GemmKernelKind.Avx512
                : IsSupported(GemmKernelKind.Avx2) ? GemmKernelKind.Avx2
                : GemmKernelKind.Vector;
        }
        if (!IsSupported(kind))
        {
            throw new PlatformNotSupportedException($"GEMM kernel {kind} is not supported on this processor.");
        }
        return kind switch
        {
            GemmKernelKind.Avx512 => new GemmKernelSet(kind, 8, 32, &GemmMicroKernel.Avx512Tile8x32, &GemmMicroKernel.Avx512Tile8x16),
            GemmKernelKind.Avx2 => new GemmKernelSet(kind, 6, 16, &GemmMicroKernel.Avx2Tile6x16, &GemmMicroKernel.Avx2Tile6x8),
            _ => new GemmKernelSet(kind, 4, 2 * Vector<float>.Count, &GemmMicroKernel.VectorTile4x2W, &GemmMicroKernel.VectorTile4x1W),
        };
    }
}

/// <summary>The register micro-kernels (see <see cref="GemmKernelSet"/> for the contract).</summary>
internal static unsafe class GemmMicroKernel
{
    // ---------------------------------------------------------------- AVX-512: 8 x 32, 16 accumulators (of 32 zmm)

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512Tile8x32(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            a += 8;
            b += 32;
        }
        Store512(c, c00, c01, beta);
        Store512(c + ldc, c10, c11, beta);
        Store512(c + 2 * ldc, c20, c21, beta);
        Store512(c + 3 * ldc, c30, c31, beta);
        Store512(c + 4 * ldc, c40, c41, beta);
        Store512(c + 5 * ldc, c50, c51, beta);
        Store512(c + 6 * ldc, c60, c61, beta);
        Store512(c + 7 * ldc, c70, c71, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512Tile8x16(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += 8;
            b += 16;
        }
        Store512(c, c0, beta);
        Store512(c + ldc, c1, beta);
        Store512(c + 2 * ldc, c2, beta);
        Store512(c + 3 * ldc, c3, beta);
        Store512(c + 4 * ldc, c4, beta);
        Store512(c + 5 * ldc, c5, beta);
        Store512(c + 6 * ldc, c6, beta);
        Store512(c + 7 * ldc, c7, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* row, Vector512<float> x0, Vector512<float> x1, float beta)
    {
        Store512(row, x0, beta);
        Store512(row + 16, x1, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* row, Vector512<float> x, float beta)
    {
        if (beta == 0f)
        {
            Vector512.Store(x, row);
        }
        else if (beta == 1f)
        {
            Vector512.Store(Vector512.Load(row) + x, row);
        }
        else
        {
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Create(beta), Vector512.Load(row), x), row);
        }
    }

    // ---------------------------------------------------------------- AVX2 + FMA: 6 x 16, 12 accumulators (of 16 ymm)

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Tile6x16(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        Store256(c, c00, c01, beta);
        Store256(c + ldc, c10, c11, beta);
        Store256(c + 2 * ldc, c20, c21, beta);
        Store256(c + 3 * ldc, c30, c31, beta);
        Store256(c + 4 * ldc, c40, c41, beta);
        Store256(c + 5 * ldc, c50, c51, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Tile6x8(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            c0 = Fma.MultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a[1]), b0, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a[2]), b0, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a[3]), b0, c3);
            c4 = Fma.MultiplyAdd(Vector256.Create(a[4]), b0, c4);
            c5 = Fma.MultiplyAdd(Vector256.Create(a[5]), b0, c5);
            a += 6;
            b += 8;
        }
        Store256(c, c0, beta);
        Store256(c + ldc, c1, beta);
        Store256(c + 2 * ldc, c2, beta);
        Store256(c + 3 * ldc, c3, beta);
        Store256(c + 4 * ldc, c4, beta);
        Store256(c + 5 * ldc, c5, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* row, Vector256<float> x0, Vector256<float> x1, float beta)
    {
        Store256(row, x0, beta);
        Store256(row + 8, x1, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* row, Vector256<float> x, float beta)
    {
        if (beta == 0f)
        {
            Vector256.Store(x, row);
        }
        else if (beta == 1f)
        {
            Vector256.Store(Vector256.Load(row) + x, row);
        }
        else
        {
            Vector256.Store(Fma.MultiplyAdd(Vector256.Create(beta), Vector256.Load(row), x), row);
        }
    }

    // ---------------------------------------------------------------- portable Vector<T>: 4 x 2W, 8 accumulators

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void VectorTile4x2W(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        var w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var a0 = new Vector<float>(a[0]);
            c00 = ExactFma.MultiplyAdd(a0, b0, c00);
            c01 = ExactFma.MultiplyAdd(a0, b1, c01);
            var a1 = new Vector<float>(a[1]);
            c10 = ExactFma.MultiplyAdd(a1, b0, c10);
            c11 = ExactFma.MultiplyAdd(a1, b1, c11);
            var a2 = new Vector<float>(a[2]);
            c20 = ExactFma.MultiplyAdd(a2, b0, c20);
            c21 = ExactFma.MultiplyAdd(a2, b1, c21);
            var a3 = new Vector<float>(a[3]);
            c30 = ExactFma.MultiplyAdd(a3, b0, c30);
            c31 = ExactFma.MultiplyAdd(a3, b1, c31);
            a += 4;
            b += 2 * w;
        }
        StoreVector(c, c00, beta);
        StoreVector(c + w, c01, beta);
        StoreVector(c + ldc, c10, beta);
        StoreVector(c + ldc + w, c11, beta);
        StoreVector(c + 2 * ldc, c20, beta);
        StoreVector(c + 2 * ldc + w, c21, beta);
        StoreVector(c + 3 * ldc, c30, beta);
        StoreVector(c + 3 * ldc + w, c31, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void VectorTile4x1W(nint kc, float* a, float* b, float* c, nint ldc, float beta)
    {
        var w = Vector<float>.Count;
        Vector<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (nint p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            c0 = ExactFma.MultiplyAdd(new Vector<float>(a[0]), b0, c0);
            c1 = ExactFma.MultiplyAdd(new Vector<float>(a[1]), b0, c1);
            c2 = ExactFma.MultiplyAdd(new Vector<float>(a[2]), b0, c2);
            c3 = ExactFma.MultiplyAdd(new Vector<float>(a[3]), b0, c3);
            a += 4;
            b += w;
        }
        StoreVector(c, c0, beta);
        StoreVector(c + ldc, c1, beta);
        StoreVector(c + 2 * ldc, c2, beta);
        StoreVector(c + 3 * ldc, c3, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector(float* row, Vector<float> x, float beta)
    {
        if (beta == 0f)
        {
            Vector.Store(x, row);
        }
        else if (beta == 1f)
        {
            Vector.Store(Vector.Load(row) + x, row);
        }
        else
        {
            Vector.Store(ExactFma.MultiplyAdd(new Vector<float>(beta), Vector.Load(row), x), row);
        }
    }
}
