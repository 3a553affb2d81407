using System.Buffers;
using System.Numerics.Tensors;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        nint row = 0;
        for (int c = 0; c < channels; c++)
        {
            float* plane = source + (nint)c * rowsPerChannel * rowFloats;
            for (int i = 0; i < kernelH; i++)
                for (int j = 0; j < kernelW; j++, row++)
                {
                    float* origin = plane + i * rowFloats + (j % stride) * run + j / stride;
                    float* segment = columns + row * ld;
                    for (int oy = 0; oy < outH; oy++)
                        TSegment.Apply(segment + oy * outW, origin + (nint)oy * stride * rowFloats, outW);
                }
        }
    }

    /// <summary>What one segment of a column-matrix row does with its outW image floats.</summary>
    private interface ISegment
    {
        static abstract unsafe void Apply(float* segment, float* image, int count);
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
    }

    /// <summary>Copies the image into the zero-bordered, phase-split buffer: padded pixel (c, y, x) goes to
    /// <c>phased[((c * (H + 2p) + y) * s + x mod s) * run + x / s]</c>.</summary>
    private static unsafe void SplitPhases(float* image, float* phased, in Conv2dShape shape)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
        new Span<float>(phased, PhasedLength(shape)).Clear();
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                float* from = image + ((nint)c * height + y) * width;
                float* to = phased + ((nint)c * paddedHeight + y + padding) * rowFloats;
                if (stride == 1)
                {
                    new ReadOnlySpan<float>(from, width).CopyTo(new Span<float>(to + padding, width));
                    continue;
                }
                // Run p holds padded columns p, p + s, ...: image column x = k * s + p - padding.
                for (int p = 0; p < stride; p++)
                {
                    float* target = to + p * run;
                    for (int k = 0, x = p - padding; k < run; k++, x += stride)
                        if ((uint)x < (uint)width) target[k] = from[x];
                }
            }
    }

    /// <summary>The inverse of <see cref="SplitPhases"/> for the image's own pixels (the border is dropped), copied
    /// into <paramref name="image"/> or added to it.</summary>
    private static unsafe void MergePhases(float* phased, float* image, in Conv2dShape shape, bool overwrite)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding, stride = shape.Stride;
        int run = RunLength(shape), rowFloats = run * stride, paddedHeight = height + 2 * padding;
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
                    for (int k = 0, x = p - padding; k < run; k++, x += stride)
                        if ((uint)x < (uint)width) to[x] = overwrite ? values[k] : to[x] + values[k];
                }
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
