using System.Buffers;
using System.Runtime.Intrinsics;

namespace Generative.Tensors.Kernels;

/// <summary>
/// A convolution's column matrix that is never stored: its entries read from a zero-bordered copy of the images,
/// <c>columns[r, q] = padded[pixelOffsets[q] + rowOffsets[r]]</c>, and packed straight into the GEMM's slivers
/// (<see cref="Gemm.MultiplyPackedB"/>). For the weight gradient <c>gradWeight = gradOutput x columns^T</c> this
/// replaces writing the whole column matrix (16 MiB for a chunk of DCGAN's 14 x 14 maps) and transposing it back
/// into slivers with one pass of 4-float copies; the slivers hold the same floats, so the sums and their bits are
/// those of the stored matrix.
/// </summary>
/// <remarks>
/// With padded height PH = H + 2p and width PW = W + 2p, row <c>r = (c * kH + i) * kW + j</c> is at
/// <c>rowOffsets[r] = (c * PH + i) * PW + j</c>, and pixel <c>q = b * outH * outW + oy * outW + ox</c> of a chunk at
/// <c>pixelOffsets[q] = b * C * PH * PW + oy * s * PW + ox * s</c>: the same entries <see cref="Im2Col"/> copies.
/// </remarks>
internal readonly unsafe struct Patches : IDisposable
{
    private readonly Conv2dShape _shape;
    private readonly int _paddedImage;
    private readonly bool _usable;
    private readonly float[]? _padded;
    private readonly int[] _rowOffsets, _pixelOffsets;

    /// <summary>Scratch for chunks of up to <paramref name="chunk"/> images of <paramref name="shape"/> (none when the
    /// kernel width is not a multiple of 4 or a padded chunk would not be addressable with 32-bit offsets: then
    /// <see cref="TryWeightProduct"/> declines).</summary>
    public Patches(in Conv2dShape shape, int chunk)
    {
        _shape = shape;
        // Kernel widths of 4 and 8 pack with 4-float copies; others (PixelCNN's 3 and 7) keep the stored matrix,
        // whose row copies are long there.
        _usable = shape.KernelW % 4 == 0 &&
            (long)chunk * shape.InChannels * (shape.Height + 2L * shape.Padding) * (shape.Width + 2L * shape.Padding) <= int.MaxValue;
        if (!_usable)
        {
            _rowOffsets = _pixelOffsets = [];
            return;
        }
        int paddedH = shape.Height + 2 * shape.Padding, paddedW = shape.Width + 2 * shape.Padding;
        _paddedImage = shape.InChannels * paddedH * paddedW;
        int pixels = shape.OutHeight * shape.OutWidth, rows = shape.InChannels * shape.KernelH * shape.KernelW;
        _padded = shape.Padding == 0 ? null : ArrayPool<float>.Shared.Rent(Math.Max(1, chunk * _paddedImage));
        _rowOffsets = ArrayPool<int>.Shared.Rent(rows);
        _pixelOffsets = ArrayPool<int>.Shared.Rent(Math.Max(1, chunk * pixels));
        for (int c = 0, r = 0; c < shape.InChannels; c++)
            for (int i = 0; i < shape.KernelH; i++)
                for (int j = 0; j < shape.KernelW; j++, r++)
                    _rowOffsets[r] = (c * paddedH + i) * paddedW + j;
        for (int b = 0, q = 0; b < chunk; b++)
            for (int oy = 0; oy < shape.OutHeight; oy++)
                for (int ox = 0; ox < shape.OutWidth; ox++, q++)
                    _pixelOffsets[q] = b * _paddedImage + oy * shape.Stride * paddedW + ox * shape.Stride;
    }

    /// <summary>Output channels of the convolution, the rows of the weight gradient.</summary>
    public int OutChannels => _shape.OutChannels;

    /// <summary>
    /// <c>gradWeight (O, rows) = gradOutput (O, count * pixels) x columns^T + beta * gradWeight</c>, the weight
    /// gradient of one chunk of <paramref name="count"/> images (<paramref name="images"/>, (count, C, H, W)). Returns
    /// false, having done nothing, when the GEMM would not take its blocked path; the caller then stores the columns
    /// (<see cref="Im2Col"/>) and multiplies.
    /// </summary>
    public bool TryWeightProduct(float* images, int count, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, float beta)
    {
        int rows = _shape.InChannels * _shape.KernelH * _shape.KernelW, width = count * _shape.OutHeight * _shape.OutWidth;
        if (!_usable || !Gemm.TakesBlockedPath(_shape.OutChannels, rows, width)) return false;
        fixed (float* padded = _padded)
        fixed (int* rowOffsets = _rowOffsets, pixelOffsets = _pixelOffsets)
        {
            if (padded is not null)
            {
                var job = new PadJob { Images = images, Padded = padded, Shape = _shape, Count = count, PaddedImage = _paddedImage };
                job.Parts = (long)count * _paddedImage >= 1 << 15 ? Math.Min(count, WorkerPool.MaxDegreeOfParallelism) : 1;
                WorkerPool.Run(&PadPart, &job, job.Parts);
            }
            var source = new Source { Padded = padded is null ? images : padded, RowOffsets = rowOffsets, PixelOffsets = pixelOffsets, KernelW = _shape.KernelW };
            return Gemm.MultiplyPackedB(false, _shape.OutChannels, rows, width, 1f, gradOutput, width, new GemmOperandB(&PackTransposed, &source), beta, gradWeight, rows);
        }
    }

    public void Dispose()
    {
        if (!_usable) return;
        if (_padded is not null) ArrayPool<float>.Shared.Return(_padded);
        ArrayPool<int>.Shared.Return(_rowOffsets);
        ArrayPool<int>.Shared.Return(_pixelOffsets);
    }

    /// <summary>
    /// Rows [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) = columns^T (pixels x rows) in
    /// <see cref="GemmPacking.PackB"/>'s layout: sliver rows of nr (or nr / 2) kernel rows r for one pixel q,
    /// <c>dst[j * kc + p * width + t] = columns[j0 + j + t, p0 + p]</c>, zero past the last column.
    /// </summary>
    private static void PackTransposed(void* state, int p0, int kc, int j0, int cols, int nr, float* dst)
    {
        var patches = (Source*)state;
        float* source = patches->Padded;
        int* pixels = patches->PixelOffsets + p0;
        int kernelW = patches->KernelW;
        for (int j = 0; j < cols; j += nr)
        {
            int valid = Math.Min(nr, cols - j), width = GemmPacking.SliverWidth(valid, nr);
            float* sliver = dst + (nint)j * kc;
            int* rows = patches->RowOffsets + j0 + j;
            // Kernel rows j = 0..3 of one (c, i) are 4 neighbouring floats of a padded image row: one 4-float copy.
            if (kernelW % 4 == 0 && (j0 + j) % 4 == 0 && valid == width && width % 4 == 0)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* pixel = source + pixels[p];
                    float* target = sliver + (nint)p * width;
                    for (int t = 0; t < width; t += 4)
                        Vector128.Store(Vector128.Load(pixel + rows[t]), target + t);
                }
                continue;
            }
            for (int p = 0; p < kc; p++)
            {
                float* pixel = source + pixels[p];
                float* target = sliver + (nint)p * width;
                int t = 0;
                for (; t < valid; t++) target[t] = pixel[rows[t]];
                for (; t < width; t++) target[t] = 0f;
            }
        }
    }

    /// <summary>What <see cref="PackTransposed"/> reads: the padded chunk and the offsets of rows and pixels.</summary>
    private struct Source
    {
        public float* Padded;
        public int* RowOffsets, PixelOffsets;
        public int KernelW;
    }

    private struct PadJob
    {
        public float* Images, Padded;
        public Conv2dShape Shape;
        public int Count, PaddedImage, Parts;
    }

    /// <summary>Copies images into their zero-bordered copies, one image at a time.</summary>
    private static void PadPart(void* state, int part)
    {
        var job = (PadJob*)state;
        ref readonly var shape = ref job->Shape;
        int height = shape.Height, width = shape.Width, padding = shape.Padding, paddedW = width + 2 * padding;
        for (int b = part; b < job->Count; b += job->Parts)
        {
            float* to = job->Padded + (nint)b * job->PaddedImage;
            float* from = job->Images + (nint)b * shape.InChannels * height * width;
            for (int c = 0; c < shape.InChannels; c++, from += height * width)
            {
                new Span<float>(to, padding * paddedW).Clear();
                to += padding * paddedW;
                for (int y = 0; y < height; y++, to += paddedW)
                {
                    new Span<float>(to, padding).Clear();
                    new ReadOnlySpan<float>(from + y * width, width).CopyTo(new Span<float>(to + padding, width));
                    new Span<float>(to + padding + width, padding).Clear();
                }
                new Span<float>(to, padding * paddedW).Clear();
                to += padding * paddedW;
            }
        }
    }
}
