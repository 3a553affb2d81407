using System.Diagnostics;
using Generative.Data;
using Generative.Evaluation;
using Generative.Models;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;

namespace Generative.Weights;

/// <summary>
/// The training recipes of lesson 12's models on the full Fashion-MNIST: CycleGAN between sneakers and ankle boots,
/// StarGAN between thin, regular and thick versions of every image, Progressive GAN grown 7 → 14 → 28, and Puzzle-GAN completing
/// images from one to three of their quadrants. Adam 2e-4 with β₁ = 0.5 for both players, as for lesson 11's GANs.
/// </summary>
/// <remarks>Seeded like <see cref="GanRecipes"/>: initial weights from <see cref="WeightRecipes.InitialWeights"/>,
/// batch order from <see cref="WeightRecipes.Shuffles"/>, domains, masks and noise from <see cref="GanRecipes.Noise"/>.
/// The translators take G's step first and D's on the same translations, as the CycleGAN paper's code does.</remarks>
public static class TranslationRecipes
{
    /// <summary>Fashion-MNIST's sneaker and ankle boot classes, CycleGAN's domains A and B.</summary>
    public const int Sneaker = 7, AnkleBoot = 9;

    private sealed record Recipe(string Description, int Epochs, Func<object> Create);

    private static readonly Dictionary<string, Recipe> Recipes = new()
    {
        // No identity term: the paper adds it for paintings <-> photos, to keep colours; here it held G near a copy of its
        // input (with λ_id = 5, 15 epochs gave translations the classifier called the other class 31 % of the time).
        ["cyclegan"] = new("CycleGAN, sneakers (A) <-> ankle boots (B), C = 16, λ_cycle = 10, no identity term; an epoch is the 6,000 training sneakers", 20,
            () => new CycleGan(16, WeightRecipes.InitialWeights) { IdentityWeight = 0 }),
        // C = 32: at C = 16, 900 steps on the embedded images gave translations worse than returning the input unchanged
        // (mean error 0.45 for regular -> regular, where the input itself is exact); at C = 32 they were closer to the truth than the input is.
        ["stargan"] = new("StarGAN, 3 domains: the image thinned (3 x 3 erosion), as it is, thickened (3 x 3 dilation), C = 32", 3,
            () => new StarGan(3, 32, WeightRecipes.InitialWeights)),
        ["progan"] = new("Progressive GAN, Z = 64, C = 32, grown 7 -> 14 -> 28; the epochs split equally over 5 phases " +
            "(7; fade-in 14; 14; fade-in 28; 28)", 4, () => new ProgressiveGan(64, 32, WeightRecipes.InitialWeights)),
        ["puzzlegan"] = new("Puzzle-GAN, the whole image from 1 to 3 of its quadrants, C = 16", 8,
            () => new PuzzleGan(16, WeightRecipes.InitialWeights)),
    };

    /// <summary>The recipes' names, as the weights tool takes them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Recipes.Keys];

    /// <summary>The recipes measured with the shipped classifier (so the tool needs one beside the weights).</summary>
    public static IReadOnlyList<string> MeasuredWithClassifier { get; } = ["cyclegan", "progan"];

    /// <summary>Images per step.</summary>
    public const int BatchSize = 32;

    /// <summary>The architecture and data in words, for the catalogue.</summary>
    public static string Description(string name) => Find(name).Description;

    /// <summary>The default epochs.</summary>
    public static int Epochs(string name) => Find(name).Epochs;

    /// <summary>The untrained model, from <see cref="WeightRecipes.InitialWeights"/>.</summary>
    public static Module Create(string name) => (Module)Find(name).Create();

    private static Recipe Find(string name) =>
        Recipes.TryGetValue(name, out var recipe)
            ? recipe
            : throw new ArgumentException($"TranslationRecipes: unknown model '{name}'; the recipes are {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Trains a model made by <see cref="Create"/> on <paramref name="train"/> (grayscale).</summary>
    public static void Train(Module model, ImageDataset train, int epochs, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var clock = Stopwatch.StartNew();
        var (shuffles, noise) = (WeightRecipes.Shuffles, GanRecipes.Noise);
        var report = new Reporter(model.GetType().Name, clock);
        switch (model)
        {
            case CycleGan cycle:
            {
                var (a, b) = (Signed(train.Where(Sneaker)), Signed(train.Where(AnkleBoot)));
                var (gOpt, dOpt) = Optimizers(cycle.GeneratorParameters, cycle.DiscriminatorParameters);
                var orderB = Array.Empty<int>();
                foreach (var (epoch, orderA, start, size) in Batches(a.Count, epochs, batchSize, shuffles))
                {
                    // B's shuffle is drawn right after A's, once per epoch; B is paired with A by position in it (wrapping
                    // round if B is shorter): unpaired, as the task is.
                    orderB = start == 0 ? shuffles.Permutation(b.Count) : orderB;
                    var (g, d) = cycle.TrainingStep(a.Take(orderA, start, size), b.Take(orderB, start, size), gOpt, dOpt);
                    report.Step(epoch, g.Total, d, $"cycle {g.Cycle.Item():F3}");
                }
                break;
            }
            case StarGan star:
            {
                var images = Signed(train);
                var (gOpt, dOpt) = Optimizers(star.GeneratorParameters, star.DiscriminatorParameters);
                foreach (var (epoch, order, start, size) in Batches(images.Count, epochs, batchSize, shuffles))
                {
                    // Each image is shown in a random domain (domain c thickened by c − 1 steps) and asked for a different one.
                    int[] domains = [.. Enumerable.Range(0, size).Select(_ => noise.NextInt(star.Domains))];
                    int[] targets = [.. domains.Select(c => (c + 1 + noise.NextInt(star.Domains - 1)) % star.Domains)];
                    var shown = Morphology.Thicken(images.TakeRows(order, start, size, unit: true), [.. domains.Select(c => c - 1)]);
                    var (g, d) = star.TrainingStep(shown.Reshape(size, 1, 28, 28) * 2f - 1f, domains, targets, gOpt, dOpt);
                    report.Step(epoch, g.Total, d, $"cls {g.Classification.Item():F3} rec {g.Reconstruction.Item():F3}");
                }
                break;
            }
            case PuzzleGan puzzle:
            {
                var images = Signed(train);
                var (gOpt, dOpt) = Optimizers(puzzle.GeneratorParameters, puzzle.DiscriminatorParameters);
                foreach (var (epoch, order, start, size) in Batches(images.Count, epochs, batchSize, shuffles))
                {
                    var masks = PuzzleGan.SampleMasks(size, 1 + noise.NextInt(3), noise);
                    var (g, d) = puzzle.TrainingStep(images.Take(order, start, size), masks, gOpt, dOpt);
                    report.Step(epoch, g.Total, d, $"rec {g.Reconstruction.Item():F3}");
                }
                break;
            }
            case ProgressiveGan progressive:
                TrainProgressive(progressive, Signed(train), epochs, batchSize, shuffles, noise, report);
                break;
            default:
                throw new ArgumentException($"TranslationRecipes: no recipe trains a {model.GetType().Name}.", nameof(model));
        }
        Console.Error.WriteLine(FormattableString.Invariant($"{model.GetType().Name}: {clock.Elapsed.TotalMinutes:F1} min"));
    }

    /// <summary>The batches of <paramref name="epochs"/> passes over <paramref name="count"/> images: a fresh shuffle
    /// per epoch (drawn when its first batch is taken), then its batches in order, the last one partial.</summary>
    private static IEnumerable<(int Epoch, int[] Order, int Start, int Size)> Batches(int count, int epochs, int batchSize, Generator shuffles)
    {
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var order = shuffles.Permutation(count);
            for (var start = 0; start < count; start += batchSize)
            {
                yield return (epoch, order, start, Math.Min(batchSize, count - start));
            }
        }
    }

    /// <summary>The five phases of <see cref="ProgressiveGan"/>'s schedule: (stage, fading in).</summary>
    public static IReadOnlyList<(int Stage, bool FadeIn)> ProgressivePhases { get; } = [(0, false), (1, true), (1, false), (2, true), (2, false)];

    private static void TrainProgressive(ProgressiveGan gan, Rows images, int epochs, int batchSize, Generator shuffles, Generator noise, Reporter report)
    {
        var (gOpt, dOpt) = Optimizers(gan.GeneratorNetwork.Parameters(), gan.DiscriminatorNetwork.Parameters());
        var stepsPerPhase = (int)((long)epochs * images.Count / ProgressivePhases.Count / batchSize);
        var (order, position) = (shuffles.Permutation(images.Count), 0);
        var epoch = 1;
        foreach (var (stage, fadeIn) in ProgressivePhases)
        {
            for (var step = 1; step <= stepsPerPhase; step++)
            {
                // α rises linearly through a fade-in phase and stays at 1 otherwise.
                gan.Grow(stage, fadeIn ? (double)step / stepsPerPhase : 1);
                if (position + batchSize > order.Length)
                {
                    (order, position, epoch) = (shuffles.Permutation(images.Count), 0, epoch + 1);
                }
                var real = gan.RealImages(images.Take(order, position, batchSize));
                position += batchSize;
                dOpt.ZeroGrad();
                var fake = gan.Generate(gan.SampleLatent(batchSize, noise));
                var dLoss = gan.DiscriminatorLoss(real, fake);
                dLoss.Backward();
                dOpt.Step();
                gOpt.ZeroGrad();
                var gLoss = gan.GeneratorLoss(fake);
                gLoss.Backward();
                gOpt.Step();
                report.Step(epoch, gLoss, dLoss, FormattableString.Invariant($"stage {stage} α {gan.Alpha:F2}"));
            }
        }
    }

    /// <summary>What the shipped classifier says of CycleGAN's translations of the given test images: the share of
    /// translated sneakers it calls ankle boots and of translated ankle boots it calls sneakers, averaged.</summary>
    public static double TranslatedClassAccuracy(CycleGan gan, FashionClassifier classifier, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(gan);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(test);
        var (sneakers, boots) = (test.Where(Sneaker).ToTensor(), test.Where(AnkleBoot).ToTensor());
        var toBoots = classifier.Accuracy(gan.TranslateAToB(sneakers), [.. Enumerable.Repeat(AnkleBoot, sneakers.Size(0))]);
        var toSneakers = classifier.Accuracy(gan.TranslateBToA(boots), [.. Enumerable.Repeat(Sneaker, boots.Size(0))]);
        return (toBoots + toSneakers) / 2;
    }

    private static (Adam Generator, Adam Discriminator) Optimizers(IEnumerable<Tensor> generator, IEnumerable<Tensor> discriminator) =>
        (new Adam(generator, GanRecipes.LearningRate, GanRecipes.Beta1), new Adam(discriminator, GanRecipes.LearningRate, GanRecipes.Beta1));

    private static Rows Signed(ImageDataset images) => new(images.ToTensor().ToArray().Select(v => v * 2f - 1f).ToArray(), images.Count);

    /// <summary>Images as rows of 784 floats in [−1, 1], gathered into batches by index.</summary>
    private sealed record Rows(float[] Values, int Count)
    {
        /// <summary>Images order[start ..][..size] as (size, 1, 28, 28), wrapping round the end of the order.</summary>
        public Tensor Take(int[] order, int start, int size) => TakeRows(order, start, size).Reshape(size, 1, 28, 28);

        /// <summary>The same as rows (size, 784), in [−1, 1] or, when <paramref name="unit"/>, back in [0, 1].</summary>
        public Tensor TakeRows(int[] order, int start, int size, bool unit = false)
        {
            var batch = new float[size * 784];
            for (var i = 0; i < size; i++)
            {
                Array.Copy(Values, order[(start + i) % order.Length] * 784, batch, i * 784, 784);
            }
            var rows = Tensor.FromArray(batch, size, 784);
            return unit ? (rows + 1f) * 0.5f : rows;
        }
    }

    /// <summary>Prints both losses every 100 steps and stops on a NaN.</summary>
    private sealed class Reporter(string name, Stopwatch clock)
    {
        private int _step;

        public void Step(int epoch, Tensor generatorLoss, Tensor discriminatorLoss, string detail)
        {
            _step++;
            var (g, d) = (generatorLoss.Item(), discriminatorLoss.Item());
            if (!float.IsFinite(g) || !float.IsFinite(d))
            {
                throw new InvalidOperationException($"{name}: a loss became {(float.IsFinite(g) ? d : g)} at epoch {epoch}, step {_step}.");
            }
            if (_step % 100 == 0)
            {
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"{name} epoch {epoch} step {_step}: G {g:F3}, D {d:F3}, {detail} ({clock.Elapsed.TotalSeconds:F0} s)"));
            }
        }
    }
}
