using System.Buffers;
using System.Numerics.Tensors;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Generative.Tensors.Kernels;

/// <summary>
/// The im2col transform that turns a convolution into one matrix product, and its adjoint col2im.
/// For one image of shape (C, H, W) the column matrix has <c>C * kH * kW</c> rows, one per weight element
/// (row <c>r = (c * kH + i) * kW + j</c>), and <c>outH * outW</c> columns, one per output pixel
/// (column <c>q = oy * outW + ox</c>):
/// <c>columns[r, q] = image[c, oy * stride - padding + i, ox * stride - padding + j]</c>, zero outside the image.
/// Then <c>output (O, outH * outW) = weight (O, C * kH * kW) x columns</c>.
/// </summary>
/// <remarks>
/// <para>The column matrix is addressed with a leading dimension <c>ld</c> (&gt;= outH * outW), so that the columns of
/// several images can sit side by side in one wide matrix: image b writes <c>columns.Slice(b * outH * outW)</c> with
/// <c>ld = batch * outH * outW</c>.</para>
/// <para>Internally the image is first copied into a zero-bordered buffer split by column phase: with stride s, padded
/// row y holds s runs, run p having the columns p, p + s, p + 2s, ... So the outW pixels of one output row that a
/// kernel point (i, j) reads, columns <c>ox * s + j</c>, are contiguous in run <c>j mod s</c>, and every row segment
/// of the column matrix is a short contiguous copy (or add, for col2im) instead of a strided gather. With stride 1
/// and no padding the image itself is that buffer.</para>
/// </remarks>
public static class Im2Col
{
    /// <summary>Fills the column matrix of one image: <c>columns[r * ld + q]</c> as in the class summary.
    /// <paramref name="image"/> has shape (shape.InChannels, shape.Height, shape.Width); the batch size of
    /// <paramref name="shape"/> is ignored.</summary>
    public static unsafe void Pack(ReadOnlySpan<float> image, Span<float> columns, int ld, in Conv2dShape shape)
    {
        shape.Validate(nameof(shape));
        CheckLengths(image.Length, columns.Length, ld, shape);
        var phased = ArrayPool<float>.Shared.Rent(PhasedLength(shape));
        try
        {
            fixed (float* source = image, destination = columns, scratch = phased)
            {
                PackCore(source, destination, ld, shape, scratch);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(phased);
        }
    }

    /// <summary>col2im, the adjoint of <see cref="Pack"/>: adds every column entry back onto the image pixel it was
    /// read from, <c>image[c, iy, ix] += columns[r, q]</c> (entries that fall in the zero padding are dropped).
    /// Accumulates: clear <paramref name="image"/> first for an overwrite.</summary>
    public static unsafe void Accumulate(ReadOnlySpan<float> columns, int ld, Span<float> image, in Conv2dShape shape)
    {
        shape.Validate(nameof(shape));
        CheckLengths(image.Length, columns.Length, ld, shape);
        var phased = ArrayPool<float>.Shared.Rent(PhasedLength(shape));
        try
        {
            fixed (float* source = columns, destination = image, scratch = phased)
            {
                AccumulateCore(source, ld, destination, shape, scratch, overwrite: false);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(phased);
        }
    }

    /// <summary>Floats of the phase-split zero-bordered copy of one image, <c>C * (H + 2p) * s * ceil((W + 2p) / s)</c>
    /// (at least 1; unused when the image itself serves, stride 1 without padding).</summary>
    internal static int PhasedLength(in Conv2dShape shape) =>
        UsesImageDirectly(shape) ? 1 : checked(shape.InChannels * (shape.Height + 2 * shape.Padding) * shape.Stride * RunLength(shape));

    private static bool UsesImageDirectly(in Conv2dShape shape) => shape.Stride == 1 && shape.Padding == 0;

    /// <summary>Floats in one phase run of a padded row, ceil((W + 2p) / s).</summary>
    private static int RunLength(in Conv2dShape shape) => (shape.Width + 2 * shape.Padding + shape.Stride - 1) / shape.Stride;

    /// <summary>im2col of one image into <c>columns[r * ld + q]</c>; <paramref name="phased"/> is scratch of
    /// <see cref="PhasedLength"/> floats.</summary>
    internal static unsafe void PackCore(float* image, float* columns, int ld, in Conv2dShape shape, float* phased)
    {
        float* source = image;
        if (!UsesImageDirectly(shape))
        {
            SplitPhases(image, phased, shape);
            source = phased;
        }
        ForEachSegment<CopySegment>(source, columns, ld, shape);
    }

    /// <summary>col2im of one image: <c>image[c, iy, ix] (+)= sum of the column entries read from it</c>; overwrites
    /// <paramref name="image"/> when <paramref name="overwrite"/>, else adds to it.</summary>
    internal static unsafe void AccumulateCore(float* columns, int ld, float* image, in Conv2dShape shape, float* phased, bool overwrite)
    {
        if (UsesImageDirectly(shape))
        {
            if (overwrite) new Span<float>(image, shape.InChannels * shape.Height * shape.Width).Clear();
            ForEachSegment<AddSegment>(image, columns, ld, shape);
            return;
        }
        new Span<float>(phased, PhasedLength(shape)).Clear();
        ForEachSegment<AddSegment>(phased, columns, ld, shape);
        MergePhases(phased, image, shape, overwrite);
    }

    /// <summary>Walks the rows <c>r = (c * kH + i) * kW + j</c> of the column matrix and, for each output row oy, hands
    /// <typeparamref name="TSegment"/> the outW entries <c>columns[r * ld + oy * outW ..]</c> and the outW contiguous
    /// floats of the phase-split image they correspond to.</summary>
    private static unsafe void ForEachSegment<TSegment>(float* source, float* columns, int ld, in Conv2dShape shape)
        where TSegment : struct, ISegment
    {
        int channels = shape.InChannels, kernelH = shape.KernelH, kernelW = shape.KernelW, stride = shape.Stride;
        int outH = shape.OutHeight, outW = shape.OutWidth;
        // Geometry of the source: rows of `stride` runs of `run` floats (the image itself: one run of W per row).
        bool direct = UsesImageDirectly(shape);
        int run = direct ? shape.Width : RunLength(shape);
        int rowFloats = run * stride, rowsPerChannel = shape.Height + (direct ? 0 : 2 * shape.Padding);
        // Rows of 5 to 7 outputs (a 7 x 7 map's): every segment but the last of a column-matrix row moves 8 floats at
        // once. The extra floats stay inside the row and the image: a copy's are overwritten by the next segment, and
        // an add's add -0.0, which leaves every float as it was (+0.0 would turn -0.0 into +0.0).
        bool shortRows = outW is > 4 and < 8 && Vector256.IsHardwareAccelerated;
        var keep = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(outW)).AsSingle();
        nint row = 0;
        for (int c = 0; c < channels; c++)
        {
            float* plane = source + (nint)c * rowsPerChannel * rowFloats;
            for (int i = 0; i < kernelH; i++)
                for (int j = 0; j < kernelW; j++, row++)
                {
                    float* origin = plane + i * rowFloats + (j % stride) * run + j / stride;
                    float* segment = columns + row * ld;
                    int oy = 0;
                    if (shortRows)
                        for (; oy < outH - 1; oy++)
                            TSegment.ApplyShort(segment + oy * outW, origin + (nint)oy * stride * rowFloats, keep);
                    for (; oy < outH; oy++)
                        TSegment.Apply(segment + oy * outW, origin + (nint)oy * stride * rowFloats, outW);
                }
        }
    }

    /// <summary>What one segment of a column-matrix row does with its outW image floats.</summary>
    private interface ISegment
    {
        static abstract unsafe void Apply(float* segment, float* image, int count);

        /// <summary>The same for a segment of fewer than 8 floats with at least 8 readable and writable floats at both
        /// ends; <paramref name="keep"/> has all bits set in the segment's lanes.</summary>
        static abstract unsafe void ApplyShort(float* segment, float* image, Vector256<float> keep);
    }

    /// <summary>im2col: <c>segment[k] = image[k]</c>.</summary>
    private struct CopySegment : ISegment
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void Apply(float* segment, float* image, int count)
        {
            int width = Vector<float>.Count;
            if (count >= width)
            {
                // Whole vectors, then one more ending at the last float (it may overlap: a copy can write twice).
                int k = 0;
                for (; k <= count - width; k += width)
                    Vector.Store(Vector.Load(image + k), segment + k);
                if (k < count)
                    Vector.Store(Vector.Load(image + count - width), segment + count - width);
                return;
            }
            if (count >= 4)
            {
                // 4 to 7 floats (a 7 x 7 or 14 x 14 feature map's rows): two overlapping 4-float copies.
                Vector128.Store(Vector128.Load(image), segment);
                Vector128.Store(Vector128.Load(image + count - 4), segment + count - 4);
                return;
            }
            for (int k = 0; k < count; k++) segment[k] = image[k];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void ApplyShort(float* segment, float* image, Vector256<float> keep) =>
            Vector256.Store(Vector256.Load(image), segment);
    }

    /// <summary>col2im: <c>image[k] += segment[k]</c> (distinct k are distinct pixels, so nothing is added twice).</summary>
    private struct AddSegment : ISegment
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void Apply(float* segment, float* image, int count)
        {
            int k = 0, width = Vector<float>.Count;
            for (; k <= count - width; k += width)
                Vector.Store(Vector.Load(image + k) + Vector.Load(segment + k), image + k);
            if (k <= count - 4)
            {
                Vector128.Store(Vector128.Load(image + k) + Vector128.Load(segment + k), image + k);
                k += 4;
            }
            for (; k < count; k++) image[k] += segment[k];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void ApplyShort(float* segment, float* image, Vector256<float> keep)
        {
            var values = Vector256.ConditionalSelect(keep, Vector256.Load(segment), Vector256.Create(-0f));
            Vector256.Store(Vector256.Load(image) + values, image);
        }
    }

    /// <summary>Copies the image into the zero-bordered, phase-split buffer: padded pixel (c, y, x) goes to
    /// <c>phased[((c * (H + 2p) + y) * s + x mod s) * run + x / s]</c>, and every other float of the buffer is zeroed.</summary>
    private static unsafe void SplitPhases(float* image, float* phased, in Conv2dShape shape)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
        if (OneVectorRows(shape))
        {
            SplitPhasesAvx512(image, phased, shape);
            return;
        }
        Span<int> first = stackalloc int[stride], end = stackalloc int[stride];
        PhaseRanges(shape, first, end);
        for (int c = 0; c < channels; c++)
        {
            float* plane = phased + (nint)c * paddedHeight * rowFloats;
            new Span<float>(plane, padding * rowFloats).Clear();
            new Span<float>(plane + (nint)(padding + height) * rowFloats, padding * rowFloats).Clear();
            for (int y = 0; y < height; y++)
            {
                float* from = image + ((nint)c * height + y) * width;
                float* to = plane + (nint)(y + padding) * rowFloats;
                if (stride == 1)
                {
                    new Span<float>(to, padding).Clear();
                    new ReadOnlySpan<float>(from, width).CopyTo(new Span<float>(to + padding, width));
                    new Span<float>(to + padding + width, rowFloats - padding - width).Clear();
                    continue;
                }
                for (int p = 0; p < stride; p++)
                {
                    // Run p holds padded columns p, p + s, ...: image column x = k * s + p - padding, inside for k in [first, end).
                    float* target = to + p * run;
                    int k = 0;
                    for (; k < first[p]; k++) target[k] = 0f;
                    for (float* column = from + (k * stride + p - padding); k < end[p]; k++, column += stride) target[k] = *column;
                    for (; k < run; k++) target[k] = 0f;
                }
            }
        }
    }

    /// <summary>The inverse of <see cref="SplitPhases"/> for the image's own pixels (the border is dropped), copied
    /// into <paramref name="image"/> or added to it.</summary>
    private static unsafe void MergePhases(float* phased, float* image, in Conv2dShape shape, bool overwrite)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
        if (OneVectorRows(shape))
        {
            MergePhasesAvx512(phased, image, shape, overwrite);
            return;
        }
        Span<int> first = stackalloc int[stride], end = stackalloc int[stride];
        PhaseRanges(shape, first, end);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                float* from = phased + ((nint)c * paddedHeight + y + padding) * rowFloats;
                float* to = image + ((nint)c * height + y) * width;
                if (stride == 1)
                {
                    var values = new ReadOnlySpan<float>(from + padding, width);
                    var target = new Span<float>(to, width);
                    if (overwrite) values.CopyTo(target);
                    else TensorPrimitives.Add(target, values, target);
                    continue;
                }
                for (int p = 0; p < stride; p++)
                {
                    float* values = from + p * run;
                    int k = first[p];
                    float* column = to + (k * stride + p - padding);
                    if (overwrite)
                        for (; k < end[p]; k++, column += stride) *column = values[k];
                    else
                        for (; k < end[p]; k++, column += stride) *column += values[k];
                }
            }
    }

    /// <summary>Whether a padded row fits one 512-bit vector and the CPU has AVX-512 (the 14 x 14 maps of lessons 11
    /// and 12: 16 floats): then a row is split or merged with one masked load, one permute and one masked store.</summary>
    private static bool OneVectorRows(in Conv2dShape shape) =>
        Avx512F.IsSupported && shape.Stride > 1 && shape.Stride * RunLength(shape) <= Vector512<float>.Count;

    /// <summary><see cref="SplitPhases"/> for <see cref="OneVectorRows"/>: lane L of a padded row (phase L / run,
    /// entry L mod run) takes image column <c>(L mod run) * s + L / run - padding</c>, or zero outside the image.</summary>
    private static unsafe void SplitPhasesAvx512(float* image, float* phased, in Conv2dShape shape)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
        // Indices 16 and up pick the second operand of the two-table permute, which is zero.
        int* table = stackalloc int[Vector512<int>.Count];
        for (int lane = 0; lane < Vector512<int>.Count; lane++)
        {
            int x = lane % run * stride + lane / run - padding;
            table[lane] = (uint)x < (uint)width ? x : Vector512<int>.Count;
        }
        var indices = Vector512.Load(table);
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var readMask = Vector512.LessThan(lanes, Vector512.Create(width)).AsSingle();
        var writeMask = Vector512.LessThan(lanes, Vector512.Create(rowFloats)).AsSingle();
        for (int c = 0; c < channels; c++)
        {
            float* plane = phased + (nint)c * paddedHeight * rowFloats;
            new Span<float>(plane, padding * rowFloats).Clear();
            new Span<float>(plane + (nint)(padding + height) * rowFloats, padding * rowFloats).Clear();
            for (int y = 0; y < height; y++)
            {
                var row = Avx512F.MaskLoad(image + ((nint)c * height + y) * width, readMask, Vector512<float>.Zero);
                Avx512F.MaskStore(plane + (nint)(y + padding) * rowFloats, writeMask, Avx512F.PermuteVar16x32x2(row, indices, Vector512<float>.Zero));
            }
        }
    }

    /// <summary><see cref="MergePhases"/> for <see cref="OneVectorRows"/>: image column x takes lane
    /// <c>((x + padding) mod s) * run + (x + padding) / s</c> of its padded row.</summary>
    private static unsafe void MergePhasesAvx512(float* phased, float* image, in Conv2dShape shape, bool overwrite)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
        int* table = stackalloc int[Vector512<int>.Count];
        for (int lane = 0; lane < Vector512<int>.Count; lane++)
        {
            int padded = Math.Min(lane, width - 1) + padding;
            table[lane] = padded % stride * run + padded / stride;
        }
        var indices = Vector512.Load(table);
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var readMask = Vector512.LessThan(lanes, Vector512.Create(rowFloats)).AsSingle();
        var writeMask = Vector512.LessThan(lanes, Vector512.Create(width)).AsSingle();
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                var row = Avx512F.MaskLoad(phased + ((nint)c * paddedHeight + y + padding) * rowFloats, readMask, Vector512<float>.Zero);
                var values = Avx512F.PermuteVar16x32(row, indices);
                float* to = image + ((nint)c * height + y) * width;
                if (!overwrite) values = Avx512F.MaskLoad(to, writeMask, Vector512<float>.Zero) + values;
                Avx512F.MaskStore(to, writeMask, values);
            }
    }

    /// <summary>For each phase p of a padded row, the entries [first[p], end[p]) of its run that hold image columns
    /// (<c>x = k * s + p - padding</c> in [0, W)); the rest of the run is border.</summary>
    private static void PhaseRanges(in Conv2dShape shape, Span<int> first, Span<int> end)
    {
        int stride = shape.Stride, padding = shape.Padding, run = RunLength(shape);
        for (int p = 0; p < stride; p++)
        {
            first[p] = Math.Min(run, Math.Max(0, padding - p + stride - 1) / stride);
            end[p] = Math.Max(first[p], Math.Min(run, (shape.Width - 1 - p + padding) / stride + 1));
        }
    }

    private static void CheckLengths(int imageLength, int columnsLength, int ld, in Conv2dShape shape)
    {
        int pixels = shape.OutHeight * shape.OutWidth;
        long rows = (long)shape.InChannels * shape.KernelH * shape.KernelW;
        long imageCount = (long)shape.InChannels * shape.Height * shape.Width;
        if (imageLength != imageCount)
            throw new ArgumentException($"Im2Col: the image has {imageLength} elements but {shape} needs {imageCount} per image.", "image");
        if (ld < pixels)
            throw new ArgumentException($"Im2Col: ld {ld} is less than the {pixels} output pixels of {shape}.", nameof(ld));
        if (columnsLength < (rows - 1) * ld + pixels)
            throw new ArgumentException($"Im2Col: the column matrix has {columnsLength} elements but {rows} rows with ld {ld} need {(rows - 1) * ld + pixels}.", "columns");
    }
}
