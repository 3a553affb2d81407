using Generative.NN;
using Generative.Tensors;

namespace Generative.Evaluation;

/// <summary>
/// A small convolutional classifier of Fashion-MNIST's ten classes: the course's yardstick for generated images. Its
/// penultimate layer gives the features of the FID (<see cref="Fid"/>), and its predictions say whether a conditional
/// generator drew the class it was asked for.
/// </summary>
/// <remarks>
/// <para>Conv 1 → 32 (kernel 4, stride 2, padding 1) to 14 x 14, ReLU; Conv 32 → 64 (same) to 7 x 7, ReLU; Linear
/// 64·7·7 → 128, ReLU (the <see cref="Features"/>); Linear 128 → 10 logits. It reads grayscale images in [0, 1], as
/// rows (N, 784) in the course's sample layout or as (N, 1, 28, 28).</para>
/// <para>The shipped weights (<c>Pretrained.Load(classifier, "classifier")</c>) were trained on the 60,000 training
/// images by <c>dotnet run -c Release --project tools/Weights -- classifier</c>; the catalogue entry gives their test
/// accuracy.</para>
/// </remarks>
public sealed class FashionClassifier : Module<Tensor, Tensor>
{
    /// <summary>The width of <see cref="Features"/>.</summary>
    public const int FeatureCount = 128;

    /// <summary>Images per pass when more are given at once.</summary>
    private const int ChunkSize = 1000;

    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly Linear _hidden;
    private readonly Linear _classify;

    /// <summary>Creates the network.</summary>
    /// <param name="generator">Source of the initial weights; <see cref="Init.DefaultGenerator"/> when null.</param>
    public FashionClassifier(Generator? generator = null)
    {
        _conv1 = new Conv2d(1, 32, kernelSize: 4, stride: 2, padding: 1, generator: generator);
        _conv2 = new Conv2d(32, 64, kernelSize: 4, stride: 2, padding: 1, generator: generator);
        _hidden = new Linear(64 * 7 * 7, FeatureCount, generator: generator);
        _classify = new Linear(FeatureCount, 10, generator: generator);
    }

    /// <summary>The penultimate activations, shape (N, 128): what the FID compares.</summary>
    /// <param name="images">(N, 784) or (N, 1, 28, 28), pixels in [0, 1].</param>
    /// <exception cref="ArgumentException">The images are not 28 x 28 single-channel.</exception>
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Size(0) > ChunkSize)
        {
            // Thousands of images at once would hold their 32 x 14 x 14 activations and im2col columns together (about
            // a gigabyte for 10,000); in chunks the peak stays small and the features are the same.
            var parts = new List<Tensor>();
            for (var first = 0; first < images.Size(0); first += ChunkSize)
            {
                parts.Add(Features(images.Slice(0, first, Math.Min(first + ChunkSize, images.Size(0)))));
            }
            return Tensor.Cat(parts, 0);
        }
        var x = images.Rank switch
        {
            2 when images.Shape[1] == 784 => images.Reshape(-1, 1, 28, 28),
            4 when images.Shape[1..].SequenceEqual([1, 28, 28]) => images,
            _ => throw new ArgumentException(
                $"FashionClassifier: images must be (N, 784) or (N, 1, 28, 28), got {Tensor.FormatShape(images.Shape)}.", nameof(images)),
        };
        x = _conv2.Forward(_conv1.Forward(x).Relu()).Relu();
        return _hidden.Forward(x.Reshape(x.Size(0), 64 * 7 * 7)).Relu();
    }

    /// <summary>The ten classes' logits, shape (N, 10).</summary>
    public override Tensor Forward(Tensor input) => _classify.Forward(Features(input));

    /// <summary>The most likely class of each image (not recorded for autograd).</summary>
    public int[] Predict(Tensor images)
    {
        using (Tensor.NoGrad())
        {
            var logits = Forward(images).ToArray();
            return Enumerable.Range(0, logits.Length / 10).Select(n =>
            {
                var best = 0;
                for (var c = 1; c < 10; c++)
                {
                    best = logits[n * 10 + c] > logits[n * 10 + best] ? c : best;
                }
                return best;
            }).ToArray();
        }
    }

    /// <summary>The share of <paramref name="images"/> whose predicted class is <paramref name="labels"/>' entry.</summary>
    /// <exception cref="ArgumentException">The counts of images and labels differ, or there are none.</exception>
    public double Accuracy(Tensor images, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var predicted = Predict(images);
        if (predicted.Length != labels.Count || predicted.Length == 0)
        {
            throw new ArgumentException($"FashionClassifier.Accuracy: {predicted.Length} images but {labels.Count} labels; give one label per image.", nameof(labels));
        }
        return predicted.Where((p, n) => p == labels[n]).Count() / (double)predicted.Length;
    }
}
