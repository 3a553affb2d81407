using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The one place where a network's own image layout meets the course's sample layout (see
/// <see cref="GenerativeModel"/>): samples are rows (N, D) with values in [0, 1], the layout of the training data;
/// a GAN generator's tanh output is (N, C, H, W) in [−1, 1], the layout its discriminator reads.
/// </summary>
public static class SampleLayout
{
    /// <summary>Images in [−1, 1] of shape (N, ...) to sample rows (N, D) in [0, 1]:
    /// <c>rows[n, i] = (images[n, ...] + 1) / 2</c>, flattened in raster order.</summary>
    /// <param name="images">Shape (N, ...), e.g. (N, 1, 28, 28) from a tanh output.</param>
    /// <returns>Shape (N, D) with D the product of the other dimensions.</returns>
    public static Tensor FromSigned(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Rank < 1)
        {
            throw new ArgumentException($"SampleLayout.FromSigned: images need a batch dimension, got shape {Tensor.FormatShape(images.Shape)}.", nameof(images));
        }
        var length = images.Shape[1..].Aggregate(1, (product, size) => product * size);
        return ((images + 1f) * 0.5f).Reshape(images.Size(0), length);
    }

    /// <summary>Rows (N, D) in [0, 1] (data or samples) to images in [−1, 1] of shape (N, imageShape...):
    /// <c>images = 2 rows − 1</c>, the input a GAN's discriminator reads.</summary>
    /// <param name="rows">Shape (N, D).</param>
    /// <param name="imageShape">The shape of one image, e.g. 1, 28, 28; its product must be D.</param>
    public static Tensor ToSigned(Tensor rows, params int[] imageShape)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(imageShape);
        var length = imageShape.Aggregate(1L, (product, size) => product * size);
        if (rows.Rank != 2 || rows.Size(1) != length || imageShape.Any(size => size <= 0))
        {
            throw new ArgumentException(
                $"SampleLayout.ToSigned: rows of shape {Tensor.FormatShape(rows.Shape)} must be (N, D) with D = {length}, the size of one " +
                $"{Tensor.FormatShape(imageShape)} image.", nameof(rows));
        }
        return (rows * 2f - 1f).Reshape([-1, .. imageShape]);
    }
}
