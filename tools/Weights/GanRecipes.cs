using System.Diagnostics;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Weights;

/// <summary>
/// The training recipes of lesson 11's GANs on the full Fashion-MNIST: DCGAN (Radford et al.'s settings: Adam 2e-4 with
/// β₁ = 0.5, batches of 128), the class-conditional DCGAN and InfoGAN, one discriminator step per generator step. The
/// results benchmark (<c>tests/Benchmarks -- gan-results</c>) trains with them.
/// </summary>
/// <remarks>Seeded like <see cref="WeightRecipes"/>: initial weights from <see cref="WeightRecipes.InitialWeights"/>,
/// batch order from <see cref="WeightRecipes.Shuffles"/>, noise and codes from <see cref="Noise"/>. Images are rows
/// (N, 784) in [−1, 1], the networks' range; a conditional model's batch carries its labels (<see cref="LabelledImages"/>).</remarks>
public static class GanRecipes
{
    /// <summary>The recipes' names, as the benchmark's <c>--models</c> takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["dcgan", "cgan", "infogan"];

    /// <summary>Adam's rate for both players.</summary>
    public const double LearningRate = 2e-4;

    /// <summary>Adam's β₁ for both players.</summary>
    public const double Beta1 = 0.5;

    /// <summary>Images per step.</summary>
    public const int BatchSize = 128;

    /// <summary>A fresh generator of the noise and codes.</summary>
    public static Generator Noise => new(3);

    /// <summary>Trains <paramref name="gan"/> (created from <see cref="WeightRecipes.InitialWeights"/>; the caller
    /// creates it, so it can save the initial weights first) on <paramref name="images"/>.</summary>
    public static AdversarialHistory TrainDcgan(Dcgan gan, Tensor images, int epochs)
    {
        ArgumentNullException.ThrowIfNull(gan);
        var (dOpt, gOpt) = Optimizers(gan.DiscriminatorNetwork.Parameters(), gan.GeneratorNetwork.Parameters());
        var noise = Noise;
        // One batch of fakes per step: D's loss sees it detached, then G's loss the same images through the updated D.
        Tensor? latest = null;
        Tensor DLoss(Tensor real)
        {
            latest = gan.Generate(gan.SampleLatent(real.Size(0), noise));
            return gan.DiscriminatorLoss(real, latest);
        }
        return Fit("DCGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest!), gOpt, images, epochs);
    }

    /// <summary>Trains <see cref="ConditionalDcgan"/> on images with their labels.</summary>
    public static AdversarialHistory TrainConditional(ConditionalDcgan gan, Tensor images, IReadOnlyList<int> labels, int epochs)
    {
        ArgumentNullException.ThrowIfNull(gan);
        var (dOpt, gOpt) = Optimizers(gan.DiscriminatorNetwork.Parameters(), gan.GeneratorNetwork.Parameters());
        var noise = Noise;
        // Each step's fakes are drawn once, for the batch's own classes, so both players see the data's class mix.
        (Tensor Fake, int[] Labels) latest = default;
        Tensor DLoss(Tensor batch)
        {
            var (real, labelTensor) = LabelledImages.Split(batch);
            var classes = labelTensor.ToArray().Select(v => (int)v).ToArray();
            latest = (gan.Generate(gan.SampleLatent(real.Size(0), noise), classes), classes);
            return gan.DiscriminatorLoss(real, classes, latest.Fake, classes);
        }
        return Fit("conditional DCGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest.Fake, latest.Labels), gOpt, LabelledImages.Join(images, labels), epochs);
    }

    /// <summary>Trains <see cref="InfoGan"/>: D on its loss, G and Q together on the non-saturating loss plus the
    /// information loss.</summary>
    public static AdversarialHistory TrainInfoGan(InfoGan gan, Tensor images, int epochs)
    {
        ArgumentNullException.ThrowIfNull(gan);
        var (dOpt, gOpt) = Optimizers(gan.DiscriminatorNetwork.Parameters(), gan.GeneratorParameters);
        var noise = Noise;
        (Tensor Fake, InfoGanCodes Codes) latest = default;
        Tensor DLoss(Tensor real)
        {
            var codes = gan.SampleCodes(real.Size(0), noise);
            latest = (gan.Generate(gan.SampleLatent(real.Size(0), noise), codes), codes);
            return gan.DiscriminatorLoss(real, latest.Fake);
        }
        return Fit("InfoGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest.Fake) + gan.InformationLoss(latest.Fake, latest.Codes), gOpt, images, epochs);
    }

    private static (Adam Discriminator, Adam Generator) Optimizers(IEnumerable<Tensor> discriminator, IEnumerable<Tensor> generator) =>
        (new Adam(discriminator, LearningRate, Beta1), new Adam(generator, LearningRate, Beta1));

    private static AdversarialHistory Fit(string name, Func<Tensor, Tensor> dLoss, Optimizer dOpt, Func<Tensor, Tensor> gLoss, Optimizer gOpt,
        Tensor data, int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        Console.Error.WriteLine($"{name}: {epochs} epochs, batch {BatchSize}, Adam {LearningRate:0e0} (β₁ {Beta1})");
        var clock = Stopwatch.StartNew();
        var history = AdversarialTrainer.Fit(dLoss, dOpt, gLoss, gOpt, data, epochs, BatchSize, WeightRecipes.Shuffles,
            progress: AdversarialTrainer.ConsoleProgress, reportEvery: 50);
        Console.Error.WriteLine(FormattableString.Invariant($"{name}: {clock.Elapsed.TotalMinutes:F1} min"));
        return history;
    }
}
