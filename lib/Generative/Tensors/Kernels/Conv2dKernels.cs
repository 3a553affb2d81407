using System.Buffers;
using System.Numerics.Tensors;

namespace Generative.Tensors.Kernels;

/// <summary>
/// 2-D convolution and transposed convolution on row-major float32 spans (span in, destination out), through
/// im2col + GEMM: <c>output[n] (O, outH * outW) = weight (O, C * kH * kW) x columns(input[n])</c>, with the
/// column matrices of several images side by side so that one <c>Gemm.Multiply</c> covers a chunk of the
/// batch. Stride and symmetric zero padding; no dilation or groups. Every kernel overwrites its destinations.
/// </summary>
/// <remarks>
/// Definitions (PyTorch's <c>conv2d</c>, which is a cross-correlation):
/// <c>output[n, o, y, x] = bias[o] + sum over c, i, j of input[n, c, y * s - p + i, x * s - p + j] * weight[o, c, i, j]</c>,
/// reading zero outside the input. The transposed convolution (PyTorch's <c>conv_transpose2d</c>, weight
/// (C_in, C_out, kH, kW)) is the adjoint of that map in the input:
/// <c>output[n, o, y * s - p + i, x * s - p + j] += input[n, c, y, x] * weight[c, o, i, j]</c>, so its forward pass
/// is <see cref="BackwardInput"/> of <see cref="ConvTranspose2dShape.Adjoint"/> and its input gradient is
/// <see cref="Forward"/> of it.
/// <para>The batch is cut into chunks whose column matrix stays under <see cref="CachedColumnFloats"/> (the output and
/// input products) or <see cref="MaxColumnFloats"/> (the weight gradient, whose sums over the batch follow the chunks);
/// within a chunk the images are packed (im2col) and unpacked (col2im) on the GEMM's worker threads, one image per
/// part, so the results do not depend on <see cref="WorkerPool.MaxDegreeOfParallelism"/>. For kernel widths of 4 and 8
/// the weight gradient's column matrix is never stored: <see cref="Patches"/> packs it inside the GEMM from
/// zero-bordered images. Scratch comes from <see cref="ArrayPool{T}.Shared"/> and is returned; a call allocates
/// nothing else.</para>
/// </remarks>
public static class Conv2dKernels
{
    /// <summary>The most floats a column matrix may hold before the batch is split into chunks (16 MiB): large
    /// enough that the GEMM sees wide matrices, small enough that a PixelCNN batch does not need gigabytes.</summary>
    internal const int MaxColumnFloats = 1 << 22;

    /// <summary>The most floats a column matrix holds in <see cref="Forward"/> and <see cref="BackwardInput"/> (4 MiB):
    /// small enough that im2col writes it and the GEMM reads it back while it is still in cache (on 2026-12-02 a DCGAN
    /// step took 104 ms instead of 110 with <see cref="MaxColumnFloats"/>). Their sums run over a column of the matrix, so
    /// the chunking does not change a bit; the weight gradient sums over the batch, so its chunks stay as they were.</summary>
    internal const int CachedColumnFloats = 1 << 20;

    /// <summary>Output height and width of a convolution, as PyTorch computes them:
    /// <c>out = (in + 2 * padding - kernel) / stride + 1</c> (integer division).</summary>
    /// <exception cref="ArgumentException">A size or the stride is not positive, the padding is negative, or the
    /// kernel is larger than the padded input; the message names the argument and its value.</exception>
    public static (int OutH, int OutW) OutputSize(int h, int w, int kH, int kW, int stride, int padding)
    {
        RequirePositive("Conv2d", h, nameof(h));
        RequirePositive("Conv2d", w, nameof(w));
        RequirePositive("Conv2d", kH, nameof(kH));
        RequirePositive("Conv2d", kW, nameof(kW));
        RequirePositive("Conv2d", stride, nameof(stride));
        if (padding < 0) throw new ArgumentException($"Conv2d: padding must be >= 0, got {padding}.", nameof(padding));
        long paddedH = h + 2L * padding, paddedW = w + 2L * padding;
        if (kH > paddedH)
            throw new ArgumentException($"Conv2d: kernel height kH = {kH} is larger than the padded input height h + 2 * padding = {h} + 2 * {padding} = {paddedH}.", nameof(kH));
        if (kW > paddedW)
            throw new ArgumentException($"Conv2d: kernel width kW = {kW} is larger than the padded input width w + 2 * padding = {w} + 2 * {padding} = {paddedW}.", nameof(kW));
        long outH = (paddedH - kH) / stride + 1, outW = (paddedW - kW) / stride + 1;
        return ((int)outH, (int)outW);
    }

    /// <summary>Output height and width of a transposed convolution, as PyTorch computes them:
    /// <c>out = (in - 1) * stride - 2 * padding + kernel + outputPadding</c>.</summary>
    /// <exception cref="ArgumentException">A size or the stride is not positive, the padding is negative, the
    /// output padding is not in [0, stride), or the output would be empty; the message names the argument and its value.</exception>
    public static (int OutH, int OutW) TransposeOutputSize(int h, int w, int kH, int kW, int stride, int padding, int outputPadding)
    {
        RequirePositive("ConvTranspose2d", h, nameof(h));
        RequirePositive("ConvTranspose2d", w, nameof(w));
        RequirePositive("ConvTranspose2d", kH, nameof(kH));
        RequirePositive("ConvTranspose2d", kW, nameof(kW));
        RequirePositive("ConvTranspose2d", stride, nameof(stride));
        if (padding < 0) throw new ArgumentException($"ConvTranspose2d: padding must be >= 0, got {padding}.", nameof(padding));
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"ConvTranspose2d: outputPadding must be in [0, stride) = [0, {stride}), got {outputPadding} (as in PyTorch: a larger one adds rows the adjoint convolution never reads).", nameof(outputPadding));
        long outH = (h - 1L) * stride - 2L * padding + kH + outputPadding;
        long outW = (w - 1L) * stride - 2L * padding + kW + outputPadding;
        if (outH < 1)
            throw new ArgumentException($"ConvTranspose2d: output height (h - 1) * stride - 2 * padding + kH + outputPadding = ({h} - 1) * {stride} - 2 * {padding} + {kH} + {outputPadding} = {outH} is not positive.", nameof(padding));
        if (outW < 1)
            throw new ArgumentException($"ConvTranspose2d: output width (w - 1) * stride - 2 * padding + kW + outputPadding = ({w} - 1) * {stride} - 2 * {padding} + {kW} + {outputPadding} = {outW} is not positive.", nameof(padding));
        if (outH > Array.MaxLength || outW > Array.MaxLength)
            throw new ArgumentException($"ConvTranspose2d: output size {outH} x {outW} is too large.", nameof(h));
        return ((int)outH, (int)outW);
    }

    /// <summary>Convolution: <c>output[n, o, y, x] = bias[o] + sum over c, i, j of input[n, c, y * s - p + i, x * s - p + j] * weight[o, c, i, j]</c>.</summary>
    /// <param name="input">Shape (N, C, H, W).</param>
    /// <param name="weight">Shape (O, C, kH, kW).</param>
    /// <param name="bias">Shape (O), or empty for none.</param>
    /// <param name="output">Shape (N, O, outH, outW); overwritten.</param>
    /// <param name="shape">The geometry.</param>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, Conv2dShape shape)
    {
        const string op = "Conv2d.Forward";
        shape.Validate(nameof(shape));
        RequireLength(op, input.Length, shape.InputCount, nameof(input), shape);
        RequireLength(op, weight.Length, shape.WeightCount, nameof(weight), shape);
        if (!bias.IsEmpty) RequireLength(op, bias.Length, shape.OutChannels, nameof(bias), shape);
        RequireLength(op, output.Length, shape.OutputCount, nameof(output), shape);
        ForwardCore(input, weight, output, shape);
        if (!bias.IsEmpty) AddBias(output, bias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    /// <summary>Input gradient of <see cref="Forward"/>: <c>gradInput = d(sum of output * gradOutput) / d input</c>,
    /// i.e. <c>gradInput[n, c, y * s - p + i, x * s - p + j] += gradOutput[n, o, y, x] * weight[o, c, i, j]</c>. Overwrites <paramref name="gradInput"/>.</summary>
    /// <param name="gradOutput">Shape (N, O, outH, outW).</param>
    /// <param name="weight">Shape (O, C, kH, kW).</param>
    /// <param name="gradInput">Shape (N, C, H, W); overwritten.</param>
    /// <param name="shape">The geometry of the forward convolution.</param>
    public static void BackwardInput(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, Conv2dShape shape)
    {
        const string op = "Conv2d.BackwardInput";
        shape.Validate(nameof(shape));
        RequireLength(op, gradOutput.Length, shape.OutputCount, nameof(gradOutput), shape);
        RequireLength(op, weight.Length, shape.WeightCount, nameof(weight), shape);
        RequireLength(op, gradInput.Length, shape.InputCount, nameof(gradInput), shape);
        BackwardInputCore(gradOutput, weight, gradInput, shape);
    }

    /// <summary>Weight and bias gradients of <see cref="Forward"/>:
    /// <c>gradWeight[o, c, i, j] = sum over n, y, x of gradOutput[n, o, y, x] * input[n, c, y * s - p + i, x * s - p + j]</c>,
    /// <c>gradBias[o] = sum over n, y, x of gradOutput[n, o, y, x]</c>. Overwrites both.</summary>
    /// <param name="gradOutput">Shape (N, O, outH, outW).</param>
    /// <param name="input">Shape (N, C, H, W).</param>
    /// <param name="gradWeight">Shape (O, C, kH, kW); overwritten.</param>
    /// <param name="gradBias">Shape (O), or empty when there is no bias; overwritten.</param>
    /// <param name="shape">The geometry of the forward convolution.</param>
    public static void BackwardWeight(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, Span<float> gradWeight, Span<float> gradBias, Conv2dShape shape)
    {
        const string op = "Conv2d.BackwardWeight";
        shape.Validate(nameof(shape));
        RequireLength(op, gradOutput.Length, shape.OutputCount, nameof(gradOutput), shape);
        RequireLength(op, input.Length, shape.InputCount, nameof(input), shape);
        RequireLength(op, gradWeight.Length, shape.WeightCount, nameof(gradWeight), shape);
        if (!gradBias.IsEmpty) RequireLength(op, gradBias.Length, shape.OutChannels, nameof(gradBias), shape);
        BackwardCore(gradOutput, input, ReadOnlySpan<float>.Empty, Span<float>.Empty, gradWeight, shape);
        if (!gradBias.IsEmpty) SumBias(gradOutput, gradBias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    /// <summary>Transposed convolution (PyTorch's <c>conv_transpose2d</c>):
    /// <c>output[n, o, y * s - p + i, x * s - p + j] += input[n, c, y, x] * weight[c, o, i, j]</c>, plus <c>bias[o]</c>;
    /// the adjoint of the convolution <see cref="ConvTranspose2dShape.Adjoint"/>.</summary>
    /// <param name="input">Shape (N, C_in, H, W).</param>
    /// <param name="weight">Shape (C_in, C_out, kH, kW).</param>
    /// <param name="bias">Shape (C_out), or empty for none.</param>
    /// <param name="output">Shape (N, C_out, outH, outW) with <c>outH = (H - 1) * s - 2 * p + kH + outputPadding</c>; overwritten.</param>
    /// <param name="shape">The geometry.</param>
    public static void TransposeForward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, ConvTranspose2dShape shape)
    {
        const string op = "ConvTranspose2d.Forward";
        shape.Validate(nameof(shape));
        RequireLength(op, input.Length, shape.InputCount, nameof(input), shape);
        RequireLength(op, weight.Length, shape.WeightCount, nameof(weight), shape);
        if (!bias.IsEmpty) RequireLength(op, bias.Length, shape.OutChannels, nameof(bias), shape);
        RequireLength(op, output.Length, shape.OutputCount, nameof(output), shape);
        BackwardInputCore(input, weight, output, shape.Adjoint);
        if (!bias.IsEmpty) AddBias(output, bias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    /// <summary>Input gradient of <see cref="TransposeForward"/>: the convolution
    /// <c>gradInput[n, c, y, x] = sum over o, i, j of gradOutput[n, o, y * s - p + i, x * s - p + j] * weight[c, o, i, j]</c>. Overwrites <paramref name="gradInput"/>.</summary>
    /// <param name="gradOutput">Shape (N, C_out, outH, outW).</param>
    /// <param name="weight">Shape (C_in, C_out, kH, kW).</param>
    /// <param name="gradInput">Shape (N, C_in, H, W); overwritten.</param>
    /// <param name="shape">The geometry of the forward transposed convolution.</param>
    public static void TransposeBackwardInput(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, ConvTranspose2dShape shape)
    {
        const string op = "ConvTranspose2d.BackwardInput";
        shape.Validate(nameof(shape));
        RequireLength(op, gradOutput.Length, shape.OutputCount, nameof(gradOutput), shape);
        RequireLength(op, weight.Length, shape.WeightCount, nameof(weight), shape);
        RequireLength(op, gradInput.Length, shape.InputCount, nameof(gradInput), shape);
        ForwardCore(gradOutput, weight, gradInput, shape.Adjoint);
    }

    /// <summary>Weight and bias gradients of <see cref="TransposeForward"/>:
    /// <c>gradWeight[c, o, i, j] = sum over n, y, x of input[n, c, y, x] * gradOutput[n, o, y * s - p + i, x * s - p + j]</c>,
    /// <c>gradBias[o] = sum over n, y, x of gradOutput[n, o, y, x]</c>. Overwrites both.</summary>
    /// <param name="gradOutput">Shape (N, C_out, outH, outW).</param>
    /// <param name="input">Shape (N, C_in, H, W).</param>
    /// <param name="gradWeight">Shape (C_in, C_out, kH, kW); overwritten.</param>
    /// <param name="gradBias">Shape (C_out), or empty when there is no bias; overwritten.</param>
    /// <param name="shape">The geometry of the forward transposed convolution.</param>
    public static void TransposeBackwardWeight(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, Span<float> gradWeight, Span<float> gradBias, ConvTranspose2dShape shape)
    {
        const string op = "ConvTranspose2d.BackwardWeight";
        shape.Validate(nameof(shape));
        RequireLength(op, gradOutput.Length, shape.OutputCount, nameof(gradOutput), shape);
        RequireLength(op, input.Length, shape.InputCount, nameof(input), shape);
        RequireLength(op, gradWeight.Length, shape.WeightCount, nameof(gradWeight), shape);
        if (!gradBias.IsEmpty) RequireLength(op, gradBias.Length, shape.OutChannels, nameof(gradBias), shape);
        // The adjoint convolution reads gradOutput as its input and is differentiated against input as its output gradient.
        BackwardCore(input, gradOutput, ReadOnlySpan<float>.Empty, Span<float>.Empty, gradWeight, shape.Adjoint);
        if (!gradBias.IsEmpty) SumBias(gradOutput, gradBias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    /// <summary>Both gradients of <see cref="Forward"/> in one pass, for when the input and the weight each need one:
    /// the same numbers as <see cref="BackwardInput"/> and <see cref="BackwardWeight"/>, bit for bit, with the output
    /// gradient gathered once instead of twice. Overwrites <paramref name="gradInput"/>, <paramref name="gradWeight"/>
    /// and <paramref name="gradBias"/> (empty when there is no bias).</summary>
    public static void Backward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        Span<float> gradInput, Span<float> gradWeight, Span<float> gradBias, Conv2dShape shape)
    {
        shape.Validate(nameof(shape));
        RequireGradientLengths("Conv2d.Backward", gradOutput, input, weight, gradInput, gradWeight, gradBias,
            shape.OutputCount, shape.InputCount, shape.WeightCount, shape.OutChannels, shape);
        BackwardCore(gradOutput, input, weight, gradInput, gradWeight, shape);
        if (!gradBias.IsEmpty) SumBias(gradOutput, gradBias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    /// <summary>Both gradients of <see cref="TransposeForward"/> in one pass: the same numbers as
    /// <see cref="TransposeBackwardInput"/> and <see cref="TransposeBackwardWeight"/>, bit for bit, with the output
    /// gradient's columns packed once instead of twice. Overwrites <paramref name="gradInput"/>,
    /// <paramref name="gradWeight"/> and <paramref name="gradBias"/> (empty when there is no bias).</summary>
    public static void TransposeBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        Span<float> gradInput, Span<float> gradWeight, Span<float> gradBias, ConvTranspose2dShape shape)
    {
        shape.Validate(nameof(shape));
        RequireGradientLengths("ConvTranspose2d.Backward", gradOutput, input, weight, gradInput, gradWeight, gradBias,
            shape.OutputCount, shape.InputCount, shape.WeightCount, shape.OutChannels, shape);
        TransposeBackwardCore(gradOutput, input, weight, gradInput, gradWeight, shape.Adjoint);
        if (!gradBias.IsEmpty) SumBias(gradOutput, gradBias, shape.Batch, shape.OutHeight * shape.OutWidth);
    }

    // ---- cores: shapes already validated ----

    private static void ForwardCore(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, Span<float> output, in Conv2dShape shape)
    {
        using var scratch = new ImageScratch(shape, CachedColumnFloats);
        int rows = scratch.Rows, pixels = scratch.Pixels, outChannels = shape.OutChannels;
        for (int start = 0; start < shape.Batch; start += scratch.Chunk)
        {
            int count = Math.Min(scratch.Chunk, shape.Batch - start), width = count * pixels;
            scratch.Pack(scratch.Images(input, start, count), count, width);
            var destination = scratch.Outputs(output, start, count);
            // One image's (O, pixels) product is already in the output's layout; several go through the wide matrix.
            Span<float> product = count == 1 ? destination : scratch.Wide;
            Gemm.Multiply(false, false, outChannels, width, rows, 1f, weight, rows, scratch.Columns, width, 0f, product, width);
            if (count > 1) scratch.ScatterOutputs(destination, count);
        }
    }

    private static void BackwardInputCore(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, in Conv2dShape shape)
    {
        using var scratch = new ImageScratch(shape, CachedColumnFloats);
        int rows = scratch.Rows, pixels = scratch.Pixels, outChannels = shape.OutChannels;
        for (int start = 0; start < shape.Batch; start += scratch.Chunk)
        {
            int count = Math.Min(scratch.Chunk, shape.Batch - start), width = count * pixels;
            var source = scratch.GatherOutputs(gradOutput, start, count);
            Gemm.Multiply(true, false, rows, width, outChannels, 1f, weight, rows, source, width, 0f, scratch.Columns, width);
            scratch.Accumulate(scratch.Images(gradInput, start, count), count, width);
        }
    }

    /// <summary>The weight gradient of one chunk of <paramref name="count"/> images:
    /// <c>gradWeight = source (O, count * pixels) x columns(images)^T + beta * gradWeight</c>, with the columns packed
    /// inside the GEMM (<see cref="Patches"/>) when it takes its blocked path, else stored first. Chunks are as large
    /// as <see cref="MaxColumnFloats"/> allows whichever way, so the sums over the batch keep their order.</summary>
    private static unsafe void WeightProduct(in ImageScratch scratch, in Patches patches, ReadOnlySpan<float> images, int count,
        ReadOnlySpan<float> source, Span<float> gradWeight, float beta)
    {
        int rows = scratch.Rows, width = count * scratch.Pixels;
        fixed (float* chunk = images)
        {
            if (patches.TryWeightProduct(chunk, count, source, gradWeight, beta)) return;
        }
        scratch.Pack(images, count, width);
        Gemm.Multiply(false, true, patches.OutChannels, rows, width, 1f, source, width, scratch.Columns, width, beta, gradWeight, rows);
    }

    /// <summary>The weight gradient, chunk by chunk of <see cref="MaxColumnFloats"/> (its sums over the batch follow
    /// the chunks), and, unless <paramref name="gradInput"/> is empty, the input gradient of <see cref="BackwardInputCore"/>
    /// from the same gathered output gradient: in cache-sized pieces of each chunk with the column matrix as their
    /// scratch (its sums run over the channels, so the pieces change nothing).</summary>
    private static void BackwardCore(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        Span<float> gradInput, Span<float> gradWeight, in Conv2dShape shape)
    {
        if (shape.Batch == 0)
        {
            gradWeight.Clear();
            return;
        }
        using var scratch = new ImageScratch(shape, MaxColumnFloats);
        using var patches = new Patches(shape, scratch.Chunk);
        int rows = scratch.Rows, pixels = scratch.Pixels, outChannels = shape.OutChannels;
        int piece = ChunkSize(scratch.Chunk, rows, pixels, CachedColumnFloats);
        for (int start = 0; start < shape.Batch; start += scratch.Chunk)
        {
            int count = Math.Min(scratch.Chunk, shape.Batch - start), width = count * pixels;
            var source = scratch.GatherOutputs(gradOutput, start, count);
            WeightProduct(scratch, patches, scratch.Images(input, start, count), count, source, gradWeight, start == 0 ? 0f : 1f);
            for (int first = 0; !gradInput.IsEmpty && first < count; first += piece)
            {
                int pieceCount = Math.Min(piece, count - first), pieceWidth = pieceCount * pixels;
                Gemm.Multiply(true, false, rows, pieceWidth, outChannels, 1f, weight, rows, source[(first * pixels)..], width, 0f, scratch.Columns, pieceWidth);
                scratch.Accumulate(scratch.Images(gradInput, start + first, pieceCount), pieceCount, pieceWidth);
            }
        }
    }

    /// <summary>Both gradients of a transposed convolution, given the convolution <paramref name="adjoint"/> it is the
    /// adjoint of: the weight gradient of <see cref="BackwardCore"/>(input, gradOutput) and <see cref="ForwardCore"/>(gradOutput)
    /// sharing each chunk's columns of gradOutput. The weight's product first, over the same chunks as alone; then the
    /// input gradient, in cache-sized pieces through the wide matrix (its sums run over a column, so the pieces change nothing).</summary>
    private static void TransposeBackwardCore(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        Span<float> gradInput, Span<float> gradWeight, in Conv2dShape adjoint)
    {
        if (adjoint.Batch == 0)
        {
            gradWeight.Clear();
            return;
        }
        using var scratch = new ImageScratch(adjoint, MaxColumnFloats);
        using var patches = new Patches(adjoint, scratch.Chunk);
        int rows = scratch.Rows, pixels = scratch.Pixels, outChannels = adjoint.OutChannels;
        int piece = ChunkSize(scratch.Chunk, rows, pixels, CachedColumnFloats);
        for (int start = 0; start < adjoint.Batch; start += scratch.Chunk)
        {
            int count = Math.Min(scratch.Chunk, adjoint.Batch - start);
            var source = scratch.GatherOutputs(input, start, count);
            WeightProduct(scratch, patches, scratch.Images(gradOutput, start, count), count, source, gradWeight, start == 0 ? 0f : 1f);
            for (int first = 0; first < count; first += piece)
            {
                int pieceCount = Math.Min(piece, count - first), pieceWidth = pieceCount * pixels;
                var destination = scratch.Outputs(gradInput, start + first, pieceCount);
                scratch.Pack(scratch.Images(gradOutput, start + first, pieceCount), pieceCount, pieceWidth);
                // The gathered input is spent, so the wide matrix can hold the pieces' products.
                Span<float> product = pieceCount == 1 ? destination : scratch.Wide;
                Gemm.Multiply(false, false, outChannels, pieceWidth, rows, 1f, weight, rows, scratch.Columns, pieceWidth, 0f, product, pieceWidth);
                if (pieceCount > 1) scratch.ScatterOutputs(destination, pieceCount);
            }
        }
    }

    /// <summary>
    /// The pooled scratch of one kernel call: the batch cut into chunks of <see cref="Chunk"/> images, the column
    /// matrix of a chunk, the wide (O, count * pixels) matrix of its outputs side by side (only when a chunk holds
    /// several images), and one zero-bordered, phase-split image per worker for <see cref="Im2Col"/>.
    /// <see cref="Pack"/> and <see cref="Accumulate"/> spread the images of a chunk over the GEMM's worker threads
    /// (each image is independent, so the result does not depend on the number of threads).
    /// </summary>
    private readonly struct ImageScratch : IDisposable
    {
        /// <summary>Below this many column entries a chunk is packed on the calling thread alone.</summary>
        private const long ParallelEntries = 1 << 15;

        private readonly Conv2dShape _shape;
        private readonly int _imageSize, _outputSize, _paddedLength, _workers;
        private readonly float[] _padded;
        private readonly float[]? _wide;

        public ImageScratch(in Conv2dShape shape, int maxColumnFloats)
        {
            _shape = shape;
            Rows = shape.InChannels * shape.KernelH * shape.KernelW;
            Pixels = shape.OutHeight * shape.OutWidth;
            Chunk = ChunkSize(shape.Batch, Rows, Pixels, maxColumnFloats);
            _imageSize = shape.InChannels * shape.Height * shape.Width;
            _outputSize = shape.OutChannels * Pixels;
            _paddedLength = Im2Col.PhasedLength(shape);
            _workers = Math.Max(1, Math.Min(Chunk, WorkerPool.MaxDegreeOfParallelism));
            Columns = ArrayPool<float>.Shared.Rent(ScratchLength(Rows, Chunk, Pixels));
            _padded = ArrayPool<float>.Shared.Rent(ScratchLength(_paddedLength, _workers, 1));
            _wide = Chunk > 1 ? ArrayPool<float>.Shared.Rent(ScratchLength(shape.OutChannels, Chunk, Pixels)) : null;
        }

        /// <summary>Rows of the column matrix, <c>C * kH * kW</c>.</summary>
        public int Rows { get; }

        /// <summary>Output pixels of one image, <c>outH * outW</c>.</summary>
        public int Pixels { get; }

        /// <summary>Images per chunk (see <see cref="ChunkSize"/>).</summary>
        public int Chunk { get; }

        /// <summary>The column matrix, (rows, count * pixels) with ld = count * pixels after a call.</summary>
        public float[] Columns { get; }

        /// <summary>im2col of <paramref name="count"/> images side by side: image b fills columns [b * pixels, (b + 1) * pixels).</summary>
        public unsafe void Pack(ReadOnlySpan<float> images, int count, int width)
        {
            fixed (float* source = images, columns = Columns, padded = _padded)
            {
                var job = Job(source, columns, width, padded, count, overwrite: false);
                WorkerPool.Run(&PackPart, &job, job.Parts);
            }
        }

        /// <summary>col2im of <paramref name="count"/> images from columns side by side; overwrites the images.</summary>
        public unsafe void Accumulate(Span<float> images, int count, int width)
        {
            fixed (float* destination = images, columns = Columns, padded = _padded)
            {
                var job = Job(destination, columns, width, padded, count, overwrite: true);
                WorkerPool.Run(&AccumulatePart, &job, job.Parts);
            }
        }

        /// <summary>The wide (O, count * pixels) matrix; rented only when <see cref="Chunk"/> is above one.</summary>
        public Span<float> Wide => _wide;

        /// <summary>Images [start, start + count) of a (N, C, H, W) batch.</summary>
        public ReadOnlySpan<float> Images(ReadOnlySpan<float> batch, int start, int count) => batch.Slice(start * _imageSize, count * _imageSize);

        /// <inheritdoc cref="Images(ReadOnlySpan{float}, int, int)"/>
        public Span<float> Images(Span<float> batch, int start, int count) => batch.Slice(start * _imageSize, count * _imageSize);

        /// <summary>Outputs [start, start + count) of a (N, O, outH, outW) batch.</summary>
        public Span<float> Outputs(Span<float> batch, int start, int count) => batch.Slice(start * _outputSize, count * _outputSize);

        /// <summary>Outputs [start, start + count) of a (N, O, outH, outW) batch as one (O, count * pixels) matrix:
        /// one image's block as it is, several gathered side by side into <see cref="Wide"/>.</summary>
        public unsafe ReadOnlySpan<float> GatherOutputs(ReadOnlySpan<float> batch, int start, int count)
        {
            var source = batch.Slice(start * _outputSize, count * _outputSize);
            if (count == 1) return source;
            fixed (float* images = source, wide = _wide)
                TransferImages(images, wide, count, _shape.OutChannels, Pixels, toWide: true);
            return _wide;
        }

        /// <summary>The inverse of <see cref="GatherOutputs"/>: the chunk's products in <see cref="Wide"/> to their
        /// places in <paramref name="destination"/>, the chunk's (count, O, outH, outW) outputs.</summary>
        public unsafe void ScatterOutputs(Span<float> destination, int count)
        {
            fixed (float* images = destination, wide = _wide)
                TransferImages(images, wide, count, _shape.OutChannels, Pixels, toWide: false);
        }

        public void Dispose()
        {
            ArrayPool<float>.Shared.Return(Columns);
            ArrayPool<float>.Shared.Return(_padded);
            if (_wide is not null) ArrayPool<float>.Shared.Return(_wide);
        }

        private unsafe ImageJob Job(float* images, float* columns, int width, float* padded, int count, bool overwrite)
        {
            int parts = (long)count * Rows * Pixels >= ParallelEntries ? Math.Min(count, _workers) : 1;
            return new ImageJob
            {
                Images = images, Columns = columns, Ld = width, Padded = padded, Shape = _shape,
                ImageSize = _imageSize, Pixels = Pixels, PaddedLength = _paddedLength, Count = count, Parts = parts, Overwrite = overwrite,
            };
        }

        private static unsafe void PackPart(void* state, int part)
        {
            var job = (ImageJob*)state;
            for (int b = part; b < job->Count; b += job->Parts)
                Im2Col.PackCore(job->Images + (nint)b * job->ImageSize, job->Columns + (nint)b * job->Pixels, job->Ld,
                    job->Shape, job->Padded + (nint)part * job->PaddedLength);
        }

        private static unsafe void AccumulatePart(void* state, int part)
        {
            var job = (ImageJob*)state;
            for (int b = part; b < job->Count; b += job->Parts)
                Im2Col.AccumulateCore(job->Columns + (nint)b * job->Pixels, job->Ld, job->Images + (nint)b * job->ImageSize,
                    job->Shape, job->Padded + (nint)part * job->PaddedLength, job->Overwrite);
        }
    }

    private unsafe struct ImageJob
    {
        public float* Images, Columns, Padded;
        public Conv2dShape Shape;
        public int Ld, ImageSize, Pixels, PaddedLength, Count, Parts;
        public bool Overwrite;
    }

    /// <summary>Images per chunk: as many as keep the column matrix within <paramref name="maxColumnFloats"/>, at least one.</summary>
    private static int ChunkSize(int batch, int rows, int pixels, int maxColumnFloats)
    {
        long perImage = (long)rows * pixels;
        long fit = Math.Max(1, maxColumnFloats / Math.Max(1, perImage));
        return (int)Math.Max(1, Math.Min(batch, fit));
    }

    private static int ScratchLength(int rows, int chunk, int pixels)
    {
        long length = (long)rows * chunk * pixels;
        if (length > Array.MaxLength) throw new ArgumentException($"Conv2d: a column matrix of {rows} x {pixels} does not fit in one array.");
        return (int)Math.Max(1, length);
    }

    /// <summary>Moves a chunk's outputs between the batch layout (count, O, pixels) and the wide (O, count * pixels)
    /// matrix, <c>wide[o, b * pixels + q] = batch[b, o, q]</c> or back, one image per part on the worker threads
    /// (large chunks; a copy, so the split changes nothing but the time).</summary>
    private static unsafe void TransferImages(float* batch, float* wide, int count, int channels, int pixels, bool toWide)
    {
        var job = new TransferJob { Batch = batch, Wide = wide, Count = count, Channels = channels, Pixels = pixels, ToWide = toWide };
        job.Parts = (long)count * channels * pixels >= ParallelTransferFloats ? Math.Min(count, WorkerPool.MaxDegreeOfParallelism) : 1;
        WorkerPool.Run(&TransferPart, &job, job.Parts);
    }

    /// <summary>Below this many floats a transfer stays on the calling thread.</summary>
    private const long ParallelTransferFloats = 1 << 15;

    private unsafe struct TransferJob
    {
        public float* Batch, Wide;
        public int Count, Channels, Pixels, Parts;
        public bool ToWide;
    }

    private static unsafe void TransferPart(void* state, int part)
    {
        var job = (TransferJob*)state;
        int channels = job->Channels, pixels = job->Pixels;
        nint width = (nint)job->Count * pixels, bytes = (nint)pixels * sizeof(float);
        for (int b = part; b < job->Count; b += job->Parts)
            for (int o = 0; o < channels; o++)
            {
                float* image = job->Batch + ((nint)b * channels + o) * pixels, wide = job->Wide + o * width + (nint)b * pixels;
                if (job->ToWide) Buffer.MemoryCopy(image, wide, bytes, bytes);
                else Buffer.MemoryCopy(wide, image, bytes, bytes);
            }
    }

    /// <summary><c>output[n, o, q] += bias[o]</c>.</summary>
    private static void AddBias(Span<float> output, ReadOnlySpan<float> bias, int batch, int pixels)
    {
        int channels = bias.Length;
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < channels; o++)
            {
                var plane = output.Slice((n * channels + o) * pixels, pixels);
                TensorPrimitives.Add(plane, bias[o], plane);
            }
    }

    /// <summary><c>gradBias[o] = sum over n, q of gradOutput[n, o, q]</c>, summed in double.</summary>
    internal static void SumBias(ReadOnlySpan<float> gradOutput, Span<float> gradBias, int batch, int pixels)
    {
        int channels = gradBias.Length;
        for (int o = 0; o < channels; o++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++) sum += Reproducible.Sum(gradOutput.Slice((n * channels + o) * pixels, pixels));
            gradBias[o] = (float)sum;
        }
    }

    private static void RequirePositive(string op, int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{op}: {name} must be >= 1, got {value}.", name);
    }

    /// <summary>The length checks of the two-gradient kernels, naming the first span that does not fit.</summary>
    private static void RequireGradientLengths<TShape>(string op, ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, Span<float> gradInput, Span<float> gradWeight, Span<float> gradBias,
        long outputCount, long inputCount, long weightCount, int outChannels, TShape shape) where TShape : struct
    {
        RequireLength(op, gradOutput.Length, outputCount, nameof(gradOutput), shape);
        RequireLength(op, input.Length, inputCount, nameof(input), shape);
        RequireLength(op, weight.Length, weightCount, nameof(weight), shape);
        RequireLength(op, gradInput.Length, inputCount, nameof(gradInput), shape);
        RequireLength(op, gradWeight.Length, weightCount, nameof(gradWeight), shape);
        if (!gradBias.IsEmpty) RequireLength(op, gradBias.Length, outChannels, nameof(gradBias), shape);
    }

    private static void RequireLength<TShape>(string op, int actual, long expected, string name, TShape shape) where TShape : struct
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {name} has {actual} elements but {shape} needs {expected}.", name);
    }
}
