using Generative.Tensors;

namespace Generative.NN;

// Activations and reshapes as modules, for Sequential. Each forwards to the tensor op of the same name.

/// <summary>max(x, 0) (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class Relu : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x &gt; 0, else negativeSlope * x (PyTorch's <c>nn.LeakyReLU</c>; DCGAN uses 0.2).</summary>
public sealed class LeakyRelu(float negativeSlope = 0.01f) : Module<Tensor, Tensor>
{
    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"negativeSlope: {NegativeSlope:g}";
}

/// <summary>1 / (1 + e^-x) (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>Hyperbolic tangent (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>ln(1 + e^x), computed stably (PyTorch's <c>nn.Softplus</c> with beta 1).</summary>
public sealed class Softplus : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softplus();
}

/// <summary>Returns its input (PyTorch's <c>nn.Identity</c>).</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>Merges dimensions startDim..endDim into one (PyTorch's <c>nn.Flatten</c>; by default all but the batch
/// dimension: (N, C, H, W) -> (N, C * H * W)).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module<Tensor, Tensor>
{
    /// <summary>First dimension merged.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last dimension merged.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"startDim: {StartDim}, endDim: {EndDim}";
}

/// <summary>Splits dimension <c>dim</c> into <c>sizes</c> (PyTorch's <c>nn.Unflatten</c>; e.g. (N, 6272) -> (N, 128, 7, 7)
/// with dim 1 and sizes (128, 7, 7)). One size may be -1.</summary>
public sealed class Unflatten : Module<Tensor, Tensor>
{
    private readonly int[] _sizes;

    /// <summary>Creates the layer.</summary>
    public Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length == 0)
        {
            throw new ArgumentException("Unflatten: sizes must not be empty.", nameof(sizes));
        }
        Dim = dim;
        _sizes = (int[])sizes.Clone();
    }

    /// <summary>The dimension split.</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into (a copy).</summary>
    public int[] Sizes => (int[])_sizes.Clone();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        var d = Tensor.NormalizeDim("Unflatten", Dim, shape.Length);
        return input.Reshape([.. shape[..d], .. _sizes, .. shape[(d + 1)..]]);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => $"dim: {Dim}, sizes: {Tensor.FormatShape(_sizes)}";
}
