namespace Generative.Tensors.Kernels;

/// <summary>
/// The geometry of a 2-D convolution (PyTorch's <c>conv2d</c> without dilation or groups): input of shape
/// (Batch, InChannels, Height, Width), weight of shape (OutChannels, InChannels, KernelH, KernelW), output of
/// shape (Batch, OutChannels, OutHeight, OutWidth), with the same <see cref="Stride"/> and symmetric zero
/// <see cref="Padding"/> along both spatial axes.
/// </summary>
/// <remarks><c>OutHeight = (Height + 2 * Padding - KernelH) / Stride + 1</c> (integer division), as in PyTorch.
/// The computed sizes do not validate; the kernels call <see cref="Validate"/> and throw a clear
/// <see cref="ArgumentException"/> for an impossible geometry.</remarks>
public readonly record struct Conv2dShape(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW, int Stride, int Padding)
{
    /// <summary>Output height: <c>(Height + 2 * Padding - KernelH) / Stride + 1</c>.</summary>
    public int OutHeight => Stride > 0 ? (Height + 2 * Padding - KernelH) / Stride + 1 : 0;

    /// <summary>Output width: <c>(Width + 2 * Padding - KernelW) / Stride + 1</c>.</summary>
    public int OutWidth => Stride > 0 ? (Width + 2 * Padding - KernelW) / Stride + 1 : 0;

    /// <summary>Elements of the input, <c>Batch * InChannels * Height * Width</c>.</summary>
    public long InputCount => (long)Batch * InChannels * Height * Width;

    /// <summary>Elements of the weight, <c>OutChannels * InChannels * KernelH * KernelW</c>.</summary>
    public long WeightCount => (long)OutChannels * InChannels * KernelH * KernelW;

    /// <summary>Elements of the output, <c>Batch * OutChannels * OutHeight * OutWidth</c>.</summary>
    public long OutputCount => (long)Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the offending field and its value when the
    /// geometry is impossible (non-positive sizes, negative padding, or a kernel larger than the padded input).</summary>
    public void Validate(string paramName = "shape")
    {
        if (Batch < 0) throw new ArgumentException($"Conv2d: Batch must be >= 0, got {Batch} in {this}.", paramName);
        if (InChannels < 1) throw new ArgumentException($"Conv2d: InChannels must be >= 1, got {InChannels} in {this}.", paramName);
        if (OutChannels < 1) throw new ArgumentException($"Conv2d: OutChannels must be >= 1, got {OutChannels} in {this}.", paramName);
        Conv2dKernels.OutputSize(Height, Width, KernelH, KernelW, Stride, Padding);
        if (InputCount > Array.MaxLength || WeightCount > Array.MaxLength || OutputCount > Array.MaxLength)
            throw new ArgumentException($"Conv2d: {this} needs more elements than one array holds.", paramName);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Conv2d(input ({Batch}, {InChannels}, {Height}, {Width}), weight ({OutChannels}, {InChannels}, {KernelH}, {KernelW}), stride {Stride}, padding {Padding})";
}

/// <summary>
/// The geometry of a 2-D transposed convolution (PyTorch's <c>conv_transpose2d</c> without dilation or groups):
/// input of shape (Batch, InChannels, Height, Width), weight of shape (InChannels, OutChannels, KernelH, KernelW)
/// (PyTorch's layout), output of shape (Batch, OutChannels, OutHeight, OutWidth).
/// </summary>
/// <remarks>
/// <c>OutHeight = (Height - 1) * Stride - 2 * Padding + KernelH + OutputPadding</c>, as in PyTorch.
/// A transposed convolution is the adjoint of the convolution <see cref="Adjoint"/> that maps its output
/// back to its input: its forward pass is that convolution's input gradient and vice versa.
/// <see cref="OutputPadding"/> (0 &lt;= OutputPadding &lt; Stride) picks among the output sizes that the
/// strided convolution maps to the same input size, e.g. 7 or 8 for Height 4, kernel 3, stride 2, padding 1.
/// </remarks>
public readonly record struct ConvTranspose2dShape(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW, int Stride, int Padding,
    int OutputPadding = 0)
{
    /// <summary>Output height: <c>(Height - 1) * Stride - 2 * Padding + KernelH + OutputPadding</c>.</summary>
    public int OutHeight => (Height - 1) * Stride - 2 * Padding + KernelH + OutputPadding;

    /// <summary>Output width: <c>(Width - 1) * Stride - 2 * Padding + KernelW + OutputPadding</c>.</summary>
    public int OutWidth => (Width - 1) * Stride - 2 * Padding + KernelW + OutputPadding;

    /// <summary>Elements of the input, <c>Batch * InChannels * Height * Width</c>.</summary>
    public long InputCount => (long)Batch * InChannels * Height * Width;

    /// <summary>Elements of the weight, <c>InChannels * OutChannels * KernelH * KernelW</c>.</summary>
    public long WeightCount => (long)InChannels * OutChannels * KernelH * KernelW;

    /// <summary>Elements of the output, <c>Batch * OutChannels * OutHeight * OutWidth</c>.</summary>
    public long OutputCount => (long)Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>The convolution whose adjoint this is: it maps (Batch, OutChannels, OutHeight, OutWidth) to
    /// (Batch, InChannels, Height, Width) with weight (InChannels, OutChannels, KernelH, KernelW), the same array.</summary>
    public Conv2dShape Adjoint => new(Batch, OutChannels, OutHeight, OutWidth, InChannels, KernelH, KernelW, Stride, Padding);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the offending field and its value when the
    /// geometry is impossible.</summary>
    public void Validate(string paramName = "shape")
    {
        if (Batch < 0) throw new ArgumentException($"ConvTranspose2d: Batch must be >= 0, got {Batch} in {this}.", paramName);
        if (InChannels < 1) throw new ArgumentException($"ConvTranspose2d: InChannels must be >= 1, got {InChannels} in {this}.", paramName);
        if (OutChannels < 1) throw new ArgumentException($"ConvTranspose2d: OutChannels must be >= 1, got {OutChannels} in {this}.", paramName);
        Conv2dKernels.TransposeOutputSize(Height, Width, KernelH, KernelW, Stride, Padding, OutputPadding);
        if (InputCount > Array.MaxLength || WeightCount > Array.MaxLength || OutputCount > Array.MaxLength)
            throw new ArgumentException($"ConvTranspose2d: {this} needs more elements than one array holds.", paramName);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ConvTranspose2d(input ({Batch}, {InChannels}, {Height}, {Width}), weight ({InChannels}, {OutChannels}, {KernelH}, {KernelW}), stride {Stride}, padding {Padding}, output padding {OutputPadding})";
}
