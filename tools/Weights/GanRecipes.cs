using System.Diagnostics;
using Generative.Evaluation;
using Generative.Models;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Weights;

/// <summary>What the shipped classifier says of a GAN's samples (see <see cref="GanRecipes.Measure"/>).</summary>
/// <param name="Fid">The FID of the samples against the reference images, on the classifier's features.</param>
/// <param name="RequestedClassAccuracy">For a class-conditional GAN: the share of samples classified as the class they
/// were generated for; otherwise null.</param>
/// <param name="CodeClassAgreement">For InfoGAN: the share of samples whose categorical code maps to their class under
/// the best one-to-one map; otherwise null.</param>
/// <param name="CodeToClass">For InfoGAN: that map, <c>CodeToClass[code]</c> = class.</param>
public sealed record GanMeasurement(double Fid, double? RequestedClassAccuracy, double? CodeClassAgreement, int[]? CodeToClass);

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
    /// <summary>Each recipe's architecture in words (for the catalogue) and its untrained model, from
    /// <see cref="WeightRecipes.InitialWeights"/>.</summary>
    private static readonly Dictionary<string, (string Description, Func<GenerativeModel> Create)> Recipes = new()
    {
        ["dcgan"] = ("DCGAN, Z = 64", () => new Dcgan(64, WeightRecipes.InitialWeights)),
        ["cgan"] = ("class-conditional DCGAN, Z = 64, 10 classes", () => new ConditionalDcgan(64, 10, WeightRecipes.InitialWeights)),
        // Q reads each fake shifted by up to 2 pixels and with noise of 0.1, so that G cannot hide the codes in exact pixel
        // values (with the paper's exact Q, 5 epochs gave a code Q read at 2.21 of 2.30 nats and a classifier saw as 12 %
        // agreement with the classes: invisible).
        ["infogan"] = ("InfoGAN on DCGAN's networks, Z = 62, a 10-way categorical code and 2 continuous codes; Q reads shifted, noisy copies",
            () => new InfoGan(62, 10, 2, WeightRecipes.InitialWeights) { QShift = 2, QNoise = 0.1 }),
    };

    /// <summary>The recipes' names, as the benchmark's <c>--models</c> and the weights tool take them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Recipes.Keys]; // a Dictionary filled once enumerates in insertion order

    /// <summary>The default number of epochs over the 60,000 training images.</summary>
    public const int Epochs = 5;

    /// <summary>The architecture in words, for the catalogue.</summary>
    public static string Description(string name) => Recipe(name).Description;

    /// <summary>The untrained model of recipe <paramref name="name"/>, from <see cref="WeightRecipes.InitialWeights"/>.</summary>
    public static GenerativeModel Create(string name) => Recipe(name).Create();

    private static (string Description, Func<GenerativeModel> Create) Recipe(string name) =>
        Recipes.TryGetValue(name, out var recipe)
            ? recipe
            : throw new ArgumentException($"GanRecipes: unknown GAN '{name}'; the recipes are {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Trains a model made by <see cref="Create"/> with its recipe.</summary>
    /// <param name="gan">The model.</param>
    /// <param name="images">Training images (N, 784) in [−1, 1].</param>
    /// <param name="labels">Their classes (the conditional model reads them).</param>
    /// <param name="epochs">Epochs.</param>
    /// <param name="batchSize">Images per step.</param>
    public static AdversarialHistory Train(GenerativeModel gan, Tensor images, IReadOnlyList<int> labels, int epochs, int batchSize = BatchSize) => gan switch
    {
        Dcgan dcgan => TrainDcgan(dcgan, images, epochs, batchSize),
        ConditionalDcgan conditional => TrainConditional(conditional, images, labels, epochs, batchSize),
        InfoGan info => TrainInfoGan(info, images, epochs, batchSize),
        _ => throw new ArgumentException($"GanRecipes: no recipe trains a {gan.GetType().Name}.", nameof(gan)),
    };

    /// <summary>The seed of the samples a GAN is measured on: <c>gan.Sample(count, new Generator(SampleSeed))</c> for
    /// DCGAN; the conditional model draws classes 0, 1, …, 9, 0, 1, … and InfoGAN its codes from
    /// <c>new Generator(SampleSeed)</c> and its noise from <c>new Generator(SampleSeed + 1)</c>.</summary>
    public const int SampleSeed = 4;

    /// <summary>The FID of <paramref name="count"/> samples against <paramref name="reference"/> (the statistics of
    /// real images' classifier features), and what the classifier says of the conditional model's classes or of
    /// InfoGAN's categorical code. The samples are drawn as <see cref="SampleSeed"/> says, so a lesson can draw the
    /// same ones.</summary>
    public static GanMeasurement Measure(GenerativeModel gan, FashionClassifier classifier, FeatureStatistics reference, int count)
    {
        ArgumentNullException.ThrowIfNull(gan);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(reference);
        double Distance(Tensor samples)
        {
            using (Tensor.NoGrad())
            {
                return Fid.Distance(Fid.Statistics(classifier.Features(samples)), reference);
            }
        }
        switch (gan)
        {
            case ConditionalDcgan conditional:
            {
                int[] requested = [.. Enumerable.Range(0, count).Select(n => n % conditional.Classes)];
                var samples = conditional.SampleClasses(requested, new Generator(SampleSeed));
                return new GanMeasurement(Distance(samples), classifier.Accuracy(samples, requested), null, null);
            }
            case InfoGan info:
            {
                var codes = info.SampleCodes(count, new Generator(SampleSeed));
                var samples = info.SampleWith(codes, new Generator(SampleSeed + 1));
                var (agreement, mapping) = CodeAgreement.BestMatching(codes.Categories, classifier.Predict(samples), info.Categories);
                return new GanMeasurement(Distance(samples), null, agreement, mapping);
            }
            default:
                return new GanMeasurement(Distance(gan.Sample(count, new Generator(SampleSeed))), null, null, null);
        }
    }

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
    public static AdversarialHistory TrainDcgan(Dcgan gan, Tensor images, int epochs, int batchSize = BatchSize)
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
        return Fit("DCGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest!), gOpt, images, epochs, batchSize);
    }

    /// <summary>Trains <see cref="ConditionalDcgan"/> on images with their labels.</summary>
    public static AdversarialHistory TrainConditional(ConditionalDcgan gan, Tensor images, IReadOnlyList<int> labels, int epochs, int batchSize = BatchSize)
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
        return Fit("conditional DCGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest.Fake!, latest.Labels!), gOpt, LabelledImages.Join(images, labels), epochs, batchSize);
    }

    /// <summary>Trains <see cref="InfoGan"/>: D and Q's head on D's loss plus the information loss of the detached fakes,
    /// G on the non-saturating loss plus the information loss.</summary>
    public static AdversarialHistory TrainInfoGan(InfoGan gan, Tensor images, int epochs, int batchSize = BatchSize)
    {
        ArgumentNullException.ThrowIfNull(gan);
        var (dOpt, gOpt) = Optimizers(gan.DiscriminatorParameters, gan.GeneratorParameters);
        var noise = Noise;
        (Tensor Fake, InfoGanCodes Codes) latest = default;
        Tensor DLoss(Tensor real)
        {
            var codes = gan.SampleCodes(real.Size(0), noise);
            latest = (gan.Generate(gan.SampleLatent(real.Size(0), noise), codes), codes);
            return gan.DiscriminatorLoss(real, latest.Fake, latest.Codes, perturbation: noise);
        }
        return Fit("InfoGAN", DLoss, dOpt, _ => gan.GeneratorLoss(latest.Fake!, latest.Codes!, perturbation: noise), gOpt, images, epochs, batchSize);
    }

    private static (Adam Discriminator, Adam Generator) Optimizers(IEnumerable<Tensor> discriminator, IEnumerable<Tensor> generator) =>
        (new Adam(discriminator, LearningRate, Beta1), new Adam(generator, LearningRate, Beta1));

    private static AdversarialHistory Fit(string name, Func<Tensor, Tensor> dLoss, Optimizer dOpt, Func<Tensor, Tensor> gLoss, Optimizer gOpt,
        Tensor data, int epochs, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        Console.Error.WriteLine($"{name}: {epochs} epochs, batch {batchSize}, Adam {LearningRate:0e0} (β₁ {Beta1})");
        var clock = Stopwatch.StartNew();
        var history = AdversarialTrainer.Fit(dLoss, dOpt, gLoss, gOpt, data, epochs, batchSize, WeightRecipes.Shuffles,
            progress: AdversarialTrainer.ConsoleProgress, reportEvery: 50);
        Console.Error.WriteLine(FormattableString.Invariant($"{name}: {clock.Elapsed.TotalMinutes:F1} min"));
        return history;
    }
}
