namespace Generative.Data;

/// <summary>
/// N labelled grayscale images of Height x Width pixels. <see cref="Pixels"/> holds them back to back in
/// row-major order: pixel (row r, column c) of image n is Pixels[n * Height * Width + r * Width + c].
/// Values are 0..255 as loaded (0 = background), or 0/1 after <see cref="Binarize"/>.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Wraps the arrays (not copied) after checking that their sizes agree.</summary>
    /// <exception cref="ArgumentException">Sizes disagree, a label has no class name, or dimensions are not positive.</exception>
    public ImageDataset(byte[] pixels, byte[] labels, int height, int width, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if ((long)labels.Length * height * width != pixels.Length)
        {
            throw new ArgumentException($"{labels.Length} labels of {height} x {width} images need {(long)labels.Length * height * width} pixels, got {pixels.Length}.", nameof(pixels));
        }
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] >= classNames.Count)
            {
                throw new ArgumentException($"Label [{n}] is {labels[n]}, but there are only {classNames.Count} class names.", nameof(labels));
            }
        }
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    /// <summary>N, the number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Height * Width, the length of one flattened image.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>All pixels, length N * Height * Width, image after image, each in row-major order.</summary>
    public byte[] Pixels { get; }

    /// <summary>The class of each image, length N, values indexing <see cref="ClassNames"/>.</summary>
    public byte[] Labels { get; }

    /// <summary>The name of each class, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>A copy of image <paramref name="index"/>, flattened in row-major order (length Height * Width).</summary>
    public byte[] Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage).ToArray();
    }

    /// <summary>Every image as its own array (copies), e.g. to fit a model: shape (N, Height * Width).</summary>
    public byte[][] ToImageArrays() => Enumerable.Range(0, Count).Select(Image).ToArray();

    /// <summary>
    /// The same images with each pixel set to 1 if pixel &gt;= <paramref name="threshold"/> * 255 and to 0
    /// otherwise. With the default 0.5 a pixel becomes 1 exactly when its value is at least 127.5, i.e. 128..255
    /// ("pixels at or above half the maximum intensity are on").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is outside [0, 1].</exception>
    public ImageDataset Binarize(double threshold = 0.5)
    {
        if (!(threshold >= 0 && threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a fraction of 255 and must lie in [0, 1].");
        }
        var cutoff = threshold * 255;
        var binary = new byte[Pixels.Length];
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = Pixels[i] >= cutoff ? (byte)1 : (byte)0;
        }
        return new ImageDataset(binary, (byte[])Labels.Clone(), Height, Width, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images (all of them if there are fewer).</summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var n = Math.Min(count, Count);
        return new ImageDataset(Pixels[..(n * PixelsPerImage)], Labels[..n], Height, Width, ClassNames);
    }

    /// <summary>The images of class <paramref name="label"/>, in their original order.</summary>
    public ImageDataset Where(int label)
    {
        var indices = Enumerable.Range(0, Count).Where(n => Labels[n] == label).ToArray();
        var pixels = new byte[indices.Length * PixelsPerImage];
        for (var i = 0; i < indices.Length; i++)
        {
            Pixels.AsSpan(indices[i] * PixelsPerImage, PixelsPerImage).CopyTo(pixels.AsSpan(i * PixelsPerImage));
        }
        return new ImageDataset(pixels, indices.Select(n => Labels[n]).ToArray(), Height, Width, ClassNames);
    }

    /// <summary>
    /// The images as a float tensor of shape (N, Height * Width), one flattened image per row (the layout the density
    /// models take). Values are the stored ones divided by <paramref name="scale"/>: the default 255 maps intensities
    /// to [0, 1] as PyTorch's <c>ToTensor</c> does; pass 1 for a <see cref="Binarize"/>d dataset, whose pixels are
    /// already 0 or 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive.</exception>
    public Tensors.Tensor ToTensor(float scale = 255f)
    {
        if (!(scale > 0) || float.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "ToTensor: the scale divides every pixel and must be positive and finite.");
        }
        var values = new float[Pixels.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Pixels[i] / scale;
        }
        return Tensors.Tensor.FromArray(values, Count, PixelsPerImage);
    }

    /// <inheritdoc />
    public override string ToString() => $"ImageDataset({Count} images of {Height} x {Width}, {ClassNames.Count} classes)";
}
