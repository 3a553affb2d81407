using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// Batch normalisation over channels (Ioffe and Szegedy 2015), the shared core of <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/>; see <see cref="Tensor.BatchNorm"/>. In training mode it normalises with the batch's
/// statistics and updates the running ones; in evaluation mode it uses the running statistics.
/// </summary>
/// <remarks>Parameters <c>weight</c> (ones) and <c>bias</c> (zeros) of shape (numFeatures) when affine; buffers
/// <c>running_mean</c> (zeros) and <c>running_var</c> (ones) when tracking running statistics, as in PyTorch (which
/// also keeps an integer <c>num_batches_tracked</c>, not used with a fixed momentum and not kept here).</remarks>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <param name="momentum">Weight of each new batch in the running averages.</param>
    /// <param name="affine">Whether to learn a per-channel scale and shift.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (without them evaluation mode also uses
    /// batch statistics).</param>
    protected BatchNorm(int numFeatures, float eps, float momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        (NumFeatures, Eps, Momentum) = (numFeatures, eps, momentum);
        Weight = affine ? Parameter(Tensor.Ones(numFeatures)) : null;
        Bias = affine ? Parameter(Tensor.Zeros(numFeatures)) : null;
        RunningMean = trackRunningStats ? Tensor.Zeros(numFeatures) : null;
        RunningVar = trackRunningStats ? Tensor.Ones(numFeatures) : null;
    }

    /// <summary>gamma, shape (C), or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>beta, shape (C), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean, shape (C), or null.</summary>
    [field: Buffer]
    public Tensor? RunningMean { get; }

    /// <summary>Running (unbiased) variance, shape (C), or null.</summary>
    [field: Buffer]
    public Tensor? RunningVar { get; }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>Weight of each new batch in the running averages.</summary>
    public float Momentum { get; }

    /// <summary>The input ranks this layer accepts, for its error message.</summary>
    private protected abstract int[] Ranks { get; }

    /// <summary>Normalises each channel.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Ranks.Contains(input.Rank))
        {
            throw new ArgumentException(
                $"{GetType().Name}: expected an input of rank {string.Join(" or ", Ranks)}, got shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }
        return Tensor.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, training: Training || RunningMean is null, Momentum, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"{NumFeatures}, eps: {Eps:g}, momentum: {Momentum:g}, affine: {(Weight is not null ? "true" : "false")}, " +
        $"trackRunningStats: {(RunningMean is not null ? "true" : "false")}";
}

/// <summary>Batch normalisation of (N, C) or (N, C, L) inputs (PyTorch's <c>nn.BatchNorm1d</c>), statistics over N (and L).</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <inheritdoc cref="BatchNorm(int, float, float, bool, bool)"/>
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    private protected override int[] Ranks => [2, 3];
}

/// <summary>Batch normalisation of (N, C, H, W) inputs (PyTorch's <c>nn.BatchNorm2d</c>), statistics over N, H and W.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <inheritdoc cref="BatchNorm(int, float, float, bool, bool)"/>
    public BatchNorm2d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    private protected override int[] Ranks => [4];
}
