using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// A GAN on points in R^D with fully connected networks: the model of lesson 10's toys (a 1-D density, the 8-Gaussian
/// ring and the 25-Gaussian grid), with an optional minibatch standard deviation feature in the discriminator
/// (<see cref="MinibatchStdDev"/>, from Progressive GAN) as a remedy for mode collapse.
/// </summary>
/// <remarks>
/// <para>Generator: Z → H (ReLU) → … → H (ReLU) → D, a linear output, so samples are raw points (no squashing).
/// Discriminator: D → H (LeakyReLU 0.2) → … → H (LeakyReLU 0.2) → 1 logit. With <c>minibatchStdDev</c> every hidden
/// layer after the first also receives the batch's mean standard deviation of the previous layer's features, so D
/// judges a batch's variety as well as each example; its outputs then depend on the whole batch, so real and generated
/// examples must reach it in separate batches (as <see cref="Gan.DiscriminatorLoss"/> passes them), of at least two
/// examples each (choose a data size whose last partial batch is not a single example).</para>
/// <para>Unlike image GANs, <see cref="Gan.Sample"/> returns G's points as they are, shape (count, D).</para>
/// </remarks>
public sealed class MlpGan : Gan
{
    private readonly Sequential _generator;
    private readonly Sequential _discriminator;

    /// <summary>Creates both networks.</summary>
    /// <param name="dimensions">D, the length of each data point.</param>
    /// <param name="latentDimensions">Z, the size of the noise vector.</param>
    /// <param name="hiddenUnits">H, the width of every hidden layer of both networks.</param>
    /// <param name="hiddenLayers">Hidden layers in each network (at least 1).</param>
    /// <param name="minibatchStdDev">Whether D's hidden layers after the first see the batch's variety.</param>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public MlpGan(int dimensions = 2, int latentDimensions = 2, int hiddenUnits = 128, int hiddenLayers = 3, bool minibatchStdDev = false,
        Generator? generator = null)
        : base(latentDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenUnits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenLayers);
        if (minibatchStdDev && hiddenLayers < 2)
        {
            throw new ArgumentException(
                "MlpGan: the minibatch standard deviation feeds the hidden layers after the first; with one hidden layer there is none. Use at least 2.",
                nameof(hiddenLayers));
        }
        Dimensions = dimensions;
        HiddenUnits = hiddenUnits;
        HiddenLayers = hiddenLayers;
        MinibatchStdDev = minibatchStdDev;
        _generator = Network(latentDimensions, dimensions, hiddenUnits, hiddenLayers, () => new Relu(), false, generator);
        _discriminator = Network(dimensions, 1, hiddenUnits, hiddenLayers, () => new LeakyRelu(0.2f), minibatchStdDev, generator);
    }

    /// <summary>D.</summary>
    public override int Dimensions { get; }

    /// <summary>H.</summary>
    public int HiddenUnits { get; }

    /// <summary>Hidden layers per network.</summary>
    public int HiddenLayers { get; }

    /// <summary>Whether D sees the minibatch standard deviation.</summary>
    public bool MinibatchStdDev { get; }

    /// <summary>G: noise (N, Z) to points (N, D).</summary>
    public override Module<Tensor, Tensor> GeneratorNetwork => _generator;

    /// <summary>D: points (N, D) to logits (N, 1).</summary>
    public override Module<Tensor, Tensor> DiscriminatorNetwork => _discriminator;

    /// <summary>G(z) for given noise, not recorded for autograd (G has no batch norm, so there is no mode to switch).</summary>
    /// <returns>Shape (N, D), G's raw output: points in R^D, not [0, 1].</returns>
    public override Tensor SampleFrom(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using (Tensor.NoGrad())
        {
            return Generate(z);
        }
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation =>
        $"dimensions: {Dimensions}, latentDimensions: {LatentDimensions}, hiddenUnits: {HiddenUnits}, hiddenLayers: {HiddenLayers}, minibatchStdDev: {MinibatchStdDev}";

    private static Sequential Network(int inputs, int outputs, int hiddenUnits, int hiddenLayers,
        Func<Module<Tensor, Tensor>> activation, bool minibatchStdDev, Generator? generator)
    {
        var layers = new List<Module<Tensor, Tensor>>();
        for (var layer = 0; layer < hiddenLayers; layer++)
        {
            var seesBatch = layer > 0 && minibatchStdDev;
            if (seesBatch)
            {
                layers.Add(new MinibatchStdDev());
            }
            layers.Add(new Linear(layer == 0 ? inputs : hiddenUnits + (seesBatch ? 1 : 0), hiddenUnits, generator: generator));
            layers.Add(activation());
        }
        layers.Add(new Linear(hiddenUnits, outputs, generator: generator));
        return new Sequential([.. layers]);
    }
}
