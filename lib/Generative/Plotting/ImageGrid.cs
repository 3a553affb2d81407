using Generative.Tensors;
using System.Text;
using Generative.Notebook;

namespace Generative.Plotting;

/// <summary>
/// Grayscale images (e.g. 28x28 Fashion-MNIST samples) laid out in a grid and shown as a PNG, each pixel
/// enlarged to <see cref="Scale"/>x<see cref="Scale"/> so small images are visible. Intensity 0 is black, 1 white.
/// </summary>
/// <example><code>ImageGrid.FromPixels(samples, height: 28, width: 28, columns: 8)</code></example>
[TypeFormatterSource(typeof(DisplayFormatterSource<ImageGrid>), PreferredMimeTypes = new[] { MimeTypes.Html, MimeTypes.Png, MimeTypes.PlainText })]
public sealed class ImageGrid : IPngDisplayable
{
    /// <summary>Grey level of the gaps between images: mid-grey separates both dark and light images.</summary>
    private const byte GapLevel = 128;

    private readonly byte[][] _images;

    private ImageGrid(byte[][] images, int height, int width, int columns, IReadOnlyList<string>? captions, int scale)
    {
        if (images.Length == 0)
        {
            throw new ArgumentException("An image grid needs at least one image.", nameof(images));
        }
        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"Image size {height}x{width} must be at least 1x1.");
        }
        for (var i = 0; i < images.Length; i++)
        {
            if (images[i].Length != height * width)
            {
                throw new ArgumentException($"Image {i} has {images[i].Length} pixels, expected height*width = {height}*{width} = {height * width}.", nameof(images));
            }
        }
        if (columns < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "An image grid needs at least one column.");
        }
        if (scale is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale must be an integer from 1 to 16.");
        }
        if (captions is not null && captions.Count != images.Length)
        {
            throw new ArgumentException($"{captions.Count} captions for {images.Length} images; give one per image.", nameof(captions));
        }
        _images = images;
        Height = height;
        Width = width;
        Columns = Math.Min(columns, images.Length);
        Captions = captions;
        Scale = scale;
    }

    /// <summary>Images with intensities in [0, 1], each of length <paramref name="height"/>*<paramref name="width"/>, row-major.</summary>
    /// <exception cref="ArgumentException">An image has the wrong length or a value outside [0, 1] (or NaN).</exception>
    public static ImageGrid FromPixels(IEnumerable<double[]> images, int height, int width, int columns = 8,
        IReadOnlyList<string>? captions = null, int scale = 2) =>
        new(images.Select((image, i) => ToBytes(image, i)).ToArray(), height, width, columns, captions, scale);

    /// <summary>Images with intensities in [0, 1], as floats.</summary>
    public static ImageGrid FromPixels(IEnumerable<float[]> images, int height, int width, int columns = 8,
        IReadOnlyList<string>? captions = null, int scale = 2) =>
        FromPixels(images.Select(image => Array.ConvertAll(image, v => (double)v)), height, width, columns, captions, scale);

    /// <summary>A batch of images as a tensor in [0, 1], as the models' <c>Sample</c> returns them: shape (N, H·W), one
    /// image per row, or (N, 1, H, W).</summary>
    /// <exception cref="ArgumentException">The shape is neither, or a value lies outside [0, 1].</exception>
    public static ImageGrid FromTensor(Tensor images, int height, int width, int columns = 8, IReadOnlyList<string>? captions = null, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        var fits = images.Rank == 2 ? images.Size(1) == height * width : images.Rank == 4 && images.Size(1) == 1 && images.Size(2) == height && images.Size(3) == width;
        if (!fits)
        {
            throw new ArgumentException(
                $"ImageGrid: images of shape {Tensor.FormatShape(images.Shape)} are neither (N, {height * width}) rows nor (N, 1, {height}, {width}).", nameof(images));
        }
        var values = images.ToArray();
        var size = height * width;
        return FromPixels(Enumerable.Range(0, images.Size(0)).Select(n => values.AsSpan(n * size, size).ToArray()), height, width, columns, captions, scale);
    }

    /// <summary>Images with intensities 0 (black) to 255 (white), as stored in IDX files.</summary>
    public static ImageGrid FromBytes(IEnumerable<byte[]> images, int height, int width, int columns = 8,
        IReadOnlyList<string>? captions = null, int scale = 2) =>
        new(images.Select(image => (byte[])image.Clone()).ToArray(), height, width, columns, captions, scale);

    /// <summary>The number of images.</summary>
    public int Count => _images.Length;

    /// <summary>Height of each image in source pixels.</summary>
    public int Height { get; }

    /// <summary>Width of each image in source pixels.</summary>
    public int Width { get; }

    /// <summary>Images per row of the grid.</summary>
    public int Columns { get; }

    /// <summary>Rows of the grid.</summary>
    public int Rows => (Count + Columns - 1) / Columns;

    /// <summary>Screen pixels per source pixel along each side.</summary>
    public int Scale { get; }

    /// <summary>One caption per image (e.g. its class), or null.</summary>
    public IReadOnlyList<string>? Captions { get; }

    /// <summary>The whole grid as one grayscale PNG, images separated by a mid-grey gap of <see cref="Scale"/> pixels.</summary>
    public byte[] ToPng()
    {
        var gap = Scale;
        var cellWidth = Width * Scale;
        var cellHeight = Height * Scale;
        var pngWidth = Columns * cellWidth + (Columns - 1) * gap;
        var pngHeight = Rows * cellHeight + (Rows - 1) * gap;
        var pixels = new byte[pngWidth * pngHeight];
        Array.Fill(pixels, GapLevel);
        for (var i = 0; i < Count; i++)
        {
            var left = (i % Columns) * (cellWidth + gap);
            var top = (i / Columns) * (cellHeight + gap);
            Blit(_images[i], pixels, pngWidth, left, top);
        }
        return PngEncoder.Encode(pngWidth, pngHeight, PngColor.Gray, pixels);
    }

    /// <summary>One image, enlarged, as a grayscale PNG.</summary>
    public byte[] ImageToPng(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var pixels = new byte[Width * Scale * Height * Scale];
        Blit(_images[index], pixels, Width * Scale, 0, 0);
        return PngEncoder.Encode(Width * Scale, Height * Scale, PngColor.Gray, pixels);
    }

    /// <summary>
    /// Without captions, one <c>&lt;img class="gen-image"&gt;</c> of the whole grid. With captions, a CSS grid of
    /// figures, one image and its caption each, so captions sit under their image in any HTML viewer.
    /// </summary>
    public string ToHtml()
    {
        if (Captions is null)
        {
            return Img(ToPng(), PlainTextSummary());
        }
        var html = new StringBuilder();
        html.Append($"<div class=\"gen-image-grid\" style=\"display:inline-grid;grid-template-columns:repeat({Columns},auto);gap:6px 4px;font:12px sans-serif;text-align:center\">");
        for (var i = 0; i < Count; i++)
        {
            html.Append("<figure style=\"margin:0\">");
            html.Append(Img(ImageToPng(i), Captions[i]));
            html.Append($"<figcaption>{HtmlText.Escape(Captions[i])}</figcaption></figure>");
        }
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>E.g. <c>ImageGrid: 16 images of 28x28 in 2 rows x 8 columns</c>, followed by the captions if any.</summary>
    public string ToPlainText() =>
        Captions is null ? PlainTextSummary() : $"{PlainTextSummary()}: {string.Join(", ", Captions)}";

    /// <inheritdoc/>
    public override string ToString() => ToPlainText();

    private string PlainTextSummary() =>
        $"ImageGrid: {Count} image{(Count == 1 ? "" : "s")} of {Height}x{Width} in {Rows} row{(Rows == 1 ? "" : "s")} x {Columns} column{(Columns == 1 ? "" : "s")}";

    private static string Img(byte[] png, string alt) =>
        $"<img class=\"gen-image\" alt=\"{HtmlText.Escape(alt)}\" style=\"image-rendering:pixelated\" src=\"{PngEncoder.ToDataUri(png)}\">";

    /// <summary>Copies one image into the canvas at (left, top), each source pixel as a Scale x Scale block.</summary>
    private void Blit(byte[] image, byte[] canvas, int canvasWidth, int left, int top)
    {
        for (var y = 0; y < Height * Scale; y++)
        {
            var sourceRow = (y / Scale) * Width;
            var targetRow = (top + y) * canvasWidth + left;
            for (var x = 0; x < Width * Scale; x++)
            {
                canvas[targetRow + x] = image[sourceRow + x / Scale];
            }
        }
    }

    /// <summary>Converts intensities in [0, 1] to bytes, rejecting anything else so a wrongly scaled sample is noticed.</summary>
    private static byte[] ToBytes(double[] image, int index)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bytes = new byte[image.Length];
        for (var p = 0; p < image.Length; p++)
        {
            var value = image[p];
            // Allow float rounding just past the ends; anything further means the image is not in [0, 1].
            if (!(value >= -1e-6 && value <= 1 + 1e-6))
            {
                throw new ArgumentException($"Image {index} pixel {p} is {value}; intensities must lie in [0, 1] (rescale first, e.g. (v + 1) / 2 for tanh outputs).", "images");
            }
            bytes[p] = (byte)Math.Round(Math.Clamp(value, 0, 1) * 255);
        }
        return bytes;
    }
}
