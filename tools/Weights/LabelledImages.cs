using Generative.Tensors;

namespace Generative.Weights;

/// <summary>Images with their class in a 785th column, so that one shuffle of the rows (the trainers shuffle a single
/// tensor) moves each image together with its label.</summary>
public static class LabelledImages
{
    /// <summary>(N, 784) images and N labels as one (N, 785) tensor.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public static Tensor Join(Tensor images, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Size(0) != labels.Count)
        {
            throw new ArgumentException($"LabelledImages.Join: {images.Size(0)} images but {labels.Count} labels.", nameof(labels));
        }
        return Tensor.Cat([images, Tensor.FromArray(labels.Select(l => (float)l).ToArray(), labels.Count, 1)], 1);
    }

    /// <summary>A batch of joined rows back into the images and their labels as a tensor of class indices.</summary>
    public static (Tensor Images, Tensor Labels) Split(Tensor batch) => (batch.Slice(1, 0, 784), batch.Slice(1, 784, 785).Reshape(-1));
}
