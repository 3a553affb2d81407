using System.Buffers;
using System.Numerics.Tensors;

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
/// The column matrix is addressed with a leading dimension <c>ld</c> (&gt;= outH * outW), so that the columns of
/// several images can sit side by side in one wide matrix: image b writes <c>columns.Slice(b * outH * outW)</c> with
/// <c>ld = batch * outH * outW</c>. Internally the image is first copied into a zero-bordered buffer, so that every
/// row of the column matrix is a plain gather <c>columns[r, q] = padded[base(c, i, j) + offsets[q]]</c> through one
/// table of <c>outH * outW</c> offsets shared by all rows, with no bounds tests in the inner loop.
/// </remarks>
public static class Im2Col
{
    /// <summary>Below this width (stride 1) a row segment is gathered element by element rather than block-copied.</summary>
    private const int CopyFrom = 16;

    /// <summary>Fills the column matrix of one image: <c>columns[r * ld + q]</c> as in the class summary.
    /// <paramref name="image"/> has shape (shape.InChannels, shape.Height, shape.Width); the batch size of
    /// <paramref name="shape"/> is ignored.</summary>
    public static unsafe void Pack(ReadOnlySpan<float> image, Span<float> columns, int ld, in Conv2dShape shape)
    {
        shape.Validate(nameof(shape));
        CheckLengths(image.Length, columns.Length, ld, shape);
        using var scratch = new OneImageScratch(shape);
        fixed (float* source = image, destination = columns, padded = scratch.Padded)
        fixed (int* offsets = scratch.Offsets)
        {
            PackCore(source, destination, ld, shape, offsets, padded);
        }
    }

    /// <summary>col2im, the adjoint of <see cref="Pack"/>: adds every column entry back onto the image pixel it was
    /// read from, <c>image[c, iy, ix] += columns[r, q]</c> (entries that fall in the zero padding are dropped).
    /// Accumulates: clear <paramref name="image"/> first for an overwrite.</summary>
    public static unsafe void Accumulate(ReadOnlySpan<float> columns, int ld, Span<float> image, in Conv2dShape shape)
    {
        shape.Validate(nameof(shape));
        CheckLengths(image.Length, columns.Length, ld, shape);
        using var scratch = new OneImageScratch(shape);
        fixed (float* source = columns, destination = image, padded = scratch.Padded)
        fixed (int* offsets = scratch.Offsets)
        {
            AccumulateCore(source, ld, destination, shape, offsets, padded, overwrite: false);
        }
    }

    /// <summary>The pooled offset table and zero-bordered buffer of one single-image call.</summary>
    private readonly struct OneImageScratch : IDisposable
    {
        public OneImageScratch(in Conv2dShape shape)
        {
            Offsets = ArrayPool<int>.Shared.Rent(shape.OutHeight * shape.OutWidth);
            Padded = ArrayPool<float>.Shared.Rent(PaddedLength(shape));
            FillOffsets(shape, Offsets);
        }

        public int[] Offsets { get; }

        public float[] Padded { get; }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Offsets);
            ArrayPool<float>.Shared.Return(Padded);
        }
    }

    /// <summary>Floats of the zero-bordered copy of one image, <c>C * (H + 2p) * (W + 2p)</c> (at least 1).</summary>
    internal static int PaddedLength(in Conv2dShape shape) =>
        shape.Padding == 0 ? 1 : checked(shape.InChannels * (shape.Height + 2 * shape.Padding) * (shape.Width + 2 * shape.Padding));

    /// <summary><c>offsets[oy * outW + ox] = oy * stride * (W + 2p) + ox * stride</c>: where output pixel q reads in a
    /// padded channel, relative to the kernel offset (i, j).</summary>
    internal static void FillOffsets(in Conv2dShape shape, Span<int> offsets)
    {
        int outH = shape.OutHeight, outW = shape.OutWidth, stride = shape.Stride, paddedWidth = shape.Width + 2 * shape.Padding;
        for (int oy = 0; oy < outH; oy++)
            for (int ox = 0; ox < outW; ox++)
                offsets[oy * outW + ox] = oy * stride * paddedWidth + ox * stride;
    }

    /// <summary>im2col of one image into <c>columns[r * ld + q]</c>; <paramref name="padded"/> is scratch of
    /// <see cref="PaddedLength"/> floats (unused without padding).</summary>
    internal static unsafe void PackCore(float* image, float* columns, int ld, in Conv2dShape shape, int* offsets, float* padded)
    {
        float* source = image;
        if (shape.Padding > 0)
        {
            PadImage(image, padded, shape);
            source = padded;
        }
        ForEachRow<GatherRow>(source, columns, ld, shape, offsets);
    }

    /// <summary>col2im of one image: <c>image[c, iy, ix] (+)= sum of the column entries read from it</c>; overwrites
    /// <paramref name="image"/> when <paramref name="overwrite"/>, else adds to it.</summary>
    internal static unsafe void AccumulateCore(float* columns, int ld, float* image, in Conv2dShape shape, int* offsets, float* padded, bool overwrite)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding;
        int paddedWidth = width + 2 * padding, paddedPlane = (height + 2 * padding) * paddedWidth;
        float* target = image;
        if (padding > 0)
        {
            target = padded;
            new Span<float>(padded, channels * paddedPlane).Clear();
        }
        else if (overwrite)
        {
            new Span<float>(image, channels * height * width).Clear();
        }
        ForEachRow<ScatterAddRow>(target, columns, ld, shape, offsets);
        if (padding == 0) return;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                var from = new ReadOnlySpan<float>(padded + (nint)c * paddedPlane + (y + padding) * paddedWidth + padding, width);
                var to = new Span<float>(image + ((nint)c * height + y) * width, width);
                if (overwrite) from.CopyTo(to);
                else TensorPrimitives.Add(to, from, to);
            }
    }

    /// <summary>Walks the rows <c>r = (c * kH + i) * kW + j</c> of the column matrix, handing <typeparamref name="TRow"/>
    /// row r (at <c>columns + r * ld</c>) and the point (c, i, j) of the zero-bordered image (the image itself without
    /// padding) that the row's output pixel 0 reads.</summary>
    private static unsafe void ForEachRow<TRow>(float* paddedImage, float* columns, int ld, in Conv2dShape shape, int* offsets)
        where TRow : struct, IColumnRow
    {
        int channels = shape.InChannels, kernelH = shape.KernelH, kernelW = shape.KernelW, padding = shape.Padding;
        int outH = shape.OutHeight, outW = shape.OutWidth, pixels = outH * outW;
        int paddedWidth = shape.Width + 2 * padding, paddedPlane = (shape.Height + 2 * padding) * paddedWidth;
        bool runs = shape.Stride == 1 && outW >= CopyFrom;
        nint row = 0;
        for (int c = 0; c < channels; c++)
        {
            float* plane = paddedImage + (nint)c * paddedPlane;
            for (int i = 0; i < kernelH; i++)
                for (int j = 0; j < kernelW; j++, row++)
                {
                    float* origin = plane + i * paddedWidth + j;
                    if (runs) TRow.ByRuns(columns + row * ld, origin, paddedWidth, outH, outW);
                    else TRow.ByOffsets(columns + row * ld, origin, offsets, pixels);
                }
        }
    }

    /// <summary>What one row of the column matrix does with the image: in runs of <c>outW</c> contiguous pixels (stride 1),
    /// or pixel by pixel through the offset table.</summary>
    private interface IColumnRow
    {
        static abstract unsafe void ByRuns(float* row, float* origin, int paddedWidth, int outH, int outW);

        static abstract unsafe void ByOffsets(float* row, float* origin, int* offsets, int pixels);
    }

    /// <summary>im2col: <c>row[q] = origin[offsets[q]]</c>.</summary>
    private struct GatherRow : IColumnRow
    {
        public static unsafe void ByRuns(float* row, float* origin, int paddedWidth, int outH, int outW)
        {
            for (int oy = 0; oy < outH; oy++)
                new ReadOnlySpan<float>(origin + oy * paddedWidth, outW).CopyTo(new Span<float>(row + oy * outW, outW));
        }

        public static unsafe void ByOffsets(float* row, float* origin, int* offsets, int pixels)
        {
            int q = 0;
            for (; q + 4 <= pixels; q += 4)
            {
                row[q] = origin[offsets[q]];
                row[q + 1] = origin[offsets[q + 1]];
                row[q + 2] = origin[offsets[q + 2]];
                row[q + 3] = origin[offsets[q + 3]];
            }
            for (; q < pixels; q++) row[q] = origin[offsets[q]];
        }
    }

    /// <summary>col2im: <c>origin[offsets[q]] += row[q]</c>.</summary>
    private struct ScatterAddRow : IColumnRow
    {
        public static unsafe void ByRuns(float* row, float* origin, int paddedWidth, int outH, int outW)
        {
            for (int oy = 0; oy < outH; oy++)
            {
                var line = new Span<float>(origin + oy * paddedWidth, outW);
                TensorPrimitives.Add(line, new ReadOnlySpan<float>(row + oy * outW, outW), line);
            }
        }

        // Distinct q give distinct offsets, so a row never adds twice to one pixel.
        public static unsafe void ByOffsets(float* row, float* origin, int* offsets, int pixels)
        {
            for (int q = 0; q < pixels; q++) origin[offsets[q]] += row[q];
        }
    }

    /// <summary>Copies the image into the middle of a zero-bordered (C, H + 2p, W + 2p) buffer.</summary>
    private static unsafe void PadImage(float* image, float* padded, in Conv2dShape shape)
    {
        int channels = shape.InChannels, height = shape.Height, width = shape.Width, padding = shape.Padding;
        int paddedWidth = width + 2 * padding, paddedPlane = (height + 2 * padding) * paddedWidth;
        new Span<float>(padded, channels * paddedPlane).Clear();
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                new ReadOnlySpan<float>(image + ((nint)c * height + y) * width, width)
                    .CopyTo(new Span<float>(padded + (nint)c * paddedPlane + (y + padding) * paddedWidth + padding, width));
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
