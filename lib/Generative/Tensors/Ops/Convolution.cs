using Generative.Tensors.Kernels;

namespace Generative.Tensors;

// 2-D convolution and transposed convolution as autograd primitives over the im2col + GEMM kernels in
// Kernels/Conv2dKernels.cs. The backward passes are the kernels' own adjoints: a convolution's input gradient is a
// transposed convolution of the output gradient and vice versa; the weight gradient correlates the input with the
// output gradient; the bias gradient sums the output gradient over batch and pixels.
public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution (PyTorch's <c>conv2d</c>, a cross-correlation):
    /// <c>out[n, o, y, x] = bias[o] + sum over c, i, j of input[n, c, y * stride - padding + i, x * stride - padding + j] * weight[o, c, i, j]</c>,
    /// reading zeros outside the input.
    /// </summary>
    /// <param name="input">Shape (N, C_in, H, W).</param>
    /// <param name="weight">Shape (C_out, C_in, kH, kW).</param>
    /// <param name="bias">Shape (C_out), or null for none.</param>
    /// <param name="stride">Step between output pixels, the same along both axes.</param>
    /// <param name="padding">Zero padding on every side.</param>
    /// <returns>Shape (N, C_out, outH, outW) with <c>outH = (H + 2 * padding - kH) / stride + 1</c>.</returns>
    /// <exception cref="ArgumentException">Ranks or channel counts do not fit (the message names the op and the shapes),
    /// or the geometry is impossible.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckConvOperands("Conv2d", input, weight, bias, weightInChannelsDim: 1, outChannelsDim: 0);
        var (outH, outW) = Conv2dKernels.OutputSize(input._shape[2], input._shape[3], weight._shape[2], weight._shape[3], stride, padding);
        var shape = new Conv2dShape(input._shape[0], input._shape[1], input._shape[2], input._shape[3],
            weight._shape[0], weight._shape[2], weight._shape[3], stride, padding);
        return Convolve("Conv2d", input, weight, bias, [shape.Batch, shape.OutChannels, outH, outW],
            (x, w, b, y) => Conv2dKernels.Forward(x, w, b, y, shape),
            (gy, w, gx) => Conv2dKernels.BackwardInput(gy, w, gx, shape),
            (gy, x, gw, gb) => Conv2dKernels.BackwardWeight(gy, x, gw, gb, shape),
            (gy, x, w, gx, gw, gb) => Conv2dKernels.Backward(gy, x, w, gx, gw, gb, shape));
    }

    /// <summary>
    /// 2-D transposed convolution (PyTorch's <c>conv_transpose2d</c>), the adjoint of <see cref="Conv2d"/> in its input:
    /// <c>out[n, o, y * stride - padding + i, x * stride - padding + j] += input[n, c, y, x] * weight[c, o, i, j]</c>, plus <c>bias[o]</c>.
    /// It upsamples by <paramref name="stride"/>: DCGAN's generator maps 7x7 to 14x14 with kernel 4, stride 2, padding 1.
    /// </summary>
    /// <param name="input">Shape (N, C_in, H, W).</param>
    /// <param name="weight">Shape (C_in, C_out, kH, kW) (PyTorch's layout for transposed convolutions).</param>
    /// <param name="bias">Shape (C_out), or null for none.</param>
    /// <param name="stride">Upsampling factor, the same along both axes.</param>
    /// <param name="padding">Rows and columns cropped from every side of the full output.</param>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right, in [0, stride): picks among the
    /// output sizes a strided convolution maps to the same input size.</param>
    /// <returns>Shape (N, C_out, outH, outW) with <c>outH = (H - 1) * stride - 2 * padding + kH + outputPadding</c>.</returns>
    /// <exception cref="ArgumentException">Ranks or channel counts do not fit, or the geometry is impossible.</exception>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckConvOperands("ConvTranspose2d", input, weight, bias, weightInChannelsDim: 0, outChannelsDim: 1);
        var (outH, outW) = Conv2dKernels.TransposeOutputSize(input._shape[2], input._shape[3], weight._shape[2], weight._shape[3],
            stride, padding, outputPadding);
        var shape = new ConvTranspose2dShape(input._shape[0], input._shape[1], input._shape[2], input._shape[3],
            weight._shape[1], weight._shape[2], weight._shape[3], stride, padding, outputPadding);
        return Convolve("ConvTranspose2d", input, weight, bias, [shape.Batch, shape.OutChannels, outH, outW],
            (x, w, b, y) => Conv2dKernels.TransposeForward(x, w, b, y, shape),
            (gy, w, gx) => Conv2dKernels.TransposeBackwardInput(gy, w, gx, shape),
            (gy, x, gw, gb) => Conv2dKernels.TransposeBackwardWeight(gy, x, gw, gb, shape),
            (gy, x, w, gx, gw, gb) => Conv2dKernels.TransposeBackward(gy, x, w, gx, gw, gb, shape));
    }

    private delegate void ConvForward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output);

    private delegate void ConvInputGradient(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput);

    private delegate void ConvWeightGradient(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, Span<float> gradWeight, Span<float> gradBias);

    private delegate void ConvGradients(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        Span<float> gradInput, Span<float> gradWeight, Span<float> gradBias);

    /// <summary>A convolution-like op as one <see cref="Function"/>: <paramref name="forward"/> fills the output of shape
    /// <paramref name="outputShape"/> (N, C_out, outH, outW); the backward pass gives the input its gradient through
    /// <paramref name="inputGradient"/>, and the weight and bias theirs through <paramref name="weightGradient"/> when the
    /// weight needs one (it fills the bias gradient in the same pass), otherwise the bias alone its sum over batch and pixels;
    /// when the input and the weight both need one, <paramref name="gradients"/> computes both in one pass (the same bits).</summary>
    private static Tensor Convolve(string op, Tensor input, Tensor weight, Tensor? bias, int[] outputShape,
        ConvForward forward, ConvInputGradient inputGradient, ConvWeightGradient weightGradient, ConvGradients gradients) =>
        new ConvolutionFunction(op, outputShape, forward, inputGradient, weightGradient, gradients).Apply(bias is null ? [input, weight] : [input, weight, bias]);

    private sealed class ConvolutionFunction(string name, int[] outputShape, ConvForward forward, ConvInputGradient inputGradient,
        ConvWeightGradient weightGradient, ConvGradients bothGradients) : Function
    {
        private ReadOnlyMemory<float> _x, _w;

        public override string Name => name;

        protected override Tensor Forward(Tensor[] inputs)
        {
            (_x, _w) = (inputs[0].ContiguousMemory(), inputs[1].ContiguousMemory());
            var data = new float[ShapeCount(outputShape)];
            forward(_x.Span, _w.Span, inputs.Length > 2 ? inputs[2].ContiguousSpan() : default, data);
            return new Tensor(data, outputShape);
        }

        protected override Tensor?[] Backward(Tensor g)
        {
            var gradOutput = g.ContiguousSpan();
            var gradients = new Tensor?[Inputs.Count];
            bool needsInput = NeedsInputGrad(0), needsWeight = NeedsInputGrad(1);
            // The kernels add into the bias gradient, so it starts at zero.
            var db = Inputs.Count > 2 && NeedsInputGrad(2) ? NewGradient(2) : null;
            var gradBias = db is null ? default : db.Storage;
            if (needsInput) gradients[0] = NewGradient(0);
            if (needsWeight) gradients[1] = NewGradient(1);
            if (needsInput && needsWeight)
            {
                bothGradients(gradOutput, _x.Span, _w.Span, gradients[0]!.Storage, gradients[1]!.Storage, gradBias);
            }
            else if (needsInput)
            {
                inputGradient(gradOutput, _w.Span, gradients[0]!.Storage);
            }
            else if (needsWeight)
            {
                weightGradient(gradOutput, _x.Span, gradients[1]!.Storage, gradBias);
            }
            if (!needsWeight && db is not null)
            {
                var batch = outputShape[0];
                Conv2dKernels.SumBias(gradOutput, db.Storage, batch, batch == 0 ? 0 : gradOutput.Length / (batch * db.Count));
            }
            if (db is not null)
            {
                gradients[2] = db;
            }
            return gradients;
        }
    }

    private static void CheckConvOperands(string op, Tensor input, Tensor weight, Tensor? bias, int weightInChannelsDim, int outChannelsDim)
    {
        if (input.Rank != 4)
        {
            throw new ArgumentException(
                $"{op}: input must have shape (N, C, H, W), got {FormatShape(input._shape)}; add a batch dimension with Unsqueeze(0).", nameof(input));
        }
        if (weight.Rank != 4)
        {
            throw new ArgumentException($"{op}: weight must have rank 4, got shape {FormatShape(weight._shape)}.", nameof(weight));
        }
        if (weight._shape[weightInChannelsDim] != input._shape[1])
        {
            throw new ArgumentException(
                $"{op}: input of shape {FormatShape(input._shape)} has {input._shape[1]} channels but weight of shape " +
                $"{FormatShape(weight._shape)} expects {weight._shape[weightInChannelsDim]} (its dimension {weightInChannelsDim}).", nameof(weight));
        }
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != weight._shape[outChannelsDim]))
        {
            throw new ArgumentException(
                $"{op}: bias of shape {FormatShape(bias._shape)} does not match the {weight._shape[outChannelsDim]} output channels of weight " +
                $"{FormatShape(weight._shape)}; expected shape ({weight._shape[outChannelsDim]}).", nameof(bias));
        }
    }
}
