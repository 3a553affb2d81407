using System.Text.RegularExpressions;
using Generative.Data;
using Generative.Plotting;
using Generative.Tensors;

using Generative.IO;

namespace Generative.Tests.Plotting;

public class ImageGridTests
{
    /// <summary>An image whose pixels differ from each other and between images.</summary>
    private static double[] Pattern(int height, int width, int seed) =>
        Enumerable.Range(0, height * width).Select(p => (p * 7 + seed * 3) % 11 / 10.0).ToArray();

    [Fact]
    public void ToPng_ThreeImagesTwoColumns_PlacesEachUpscaledPixel()
    {
        const int height = 3, width = 4, scale = 2;
        var images = new[] { Pattern(height, width, 0), Pattern(height, width, 1), Pattern(height, width, 2) };
        var grid = ImageGrid.FromPixels(images, height, width, columns: 2, scale: scale);

        var png = PngImage.Read(grid.ToPng(), bytes => Crc32.Compute(bytes));

        // Two columns and two rows of 8x6 cells with a gap of `scale` pixels between them.
        Assert.Equal((2 * width * scale + scale, 2 * height * scale + scale), (png.Width, png.Height));
        for (var i = 0; i < images.Length; i++)
        {
            var (left, top) = (i % 2 * (width * scale + scale), i / 2 * (height * scale + scale));
            for (var y = 0; y < height * scale; y++)
            for (var x = 0; x < width * scale; x++)
            {
                var expected = (byte)Math.Round(images[i][y / scale * width + x / scale] * 255);
                Assert.Equal(expected, png.Pixels[(top + y) * png.Width + left + x]);
            }
        }
        Assert.Equal(128, png.Pixels[width * scale]); // first pixel of the gap right of image 0
    }

    [Fact]
    public void FromPixels_ValueOutsideUnitInterval_ThrowsNamingImageAndPixel()
    {
        var image = new double[4];
        image[2] = -0.5;
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels([new double[4], image], 2, 2));
        Assert.Contains("Image 1 pixel 2", error.Message);
    }

    [Fact]
    public void FromPixels_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => ImageGrid.FromPixels([new double[5]], 2, 2));
    }

    [Fact]
    public void ToHtml_NoCaptions_IsOneImgWithPngDataUri()
    {
        var html = ImageGrid.FromBytes([new byte[4], new byte[4]], 2, 2).ToHtml();
        Assert.Matches("^<img class=\"gen-image\" [^>]*src=\"data:image/png;base64,[A-Za-z0-9+/=]+\">$", html);
    }

    [Fact]
    public void ToHtml_Captions_OneImgAndEscapedCaptionPerImage()
    {
        var html = ImageGrid.FromBytes([new byte[4], new byte[4], new byte[4]], 2, 2, captions: ["Bag", "T-shirt/top", "<b>"]).ToHtml();
        Assert.Equal(3, Regex.Matches(html, "<img class=\"gen-image\"").Count);
        Assert.Contains("<figcaption>&lt;b&gt;</figcaption>", html);
        Assert.Contains("<figcaption>T-shirt/top</figcaption>", html);
    }

    [Fact]
    public void ToPlainText_DescribesCountSizeAndLayout()
    {
        var grid = ImageGrid.FromBytes(Enumerable.Repeat(new byte[784], 10), 28, 28, columns: 8);
        Assert.Equal("ImageGrid: 10 images of 28x28 in 2 rows x 8 columns", grid.ToPlainText());
    }

    [Fact]
    public void FromTensor_RowsAndImages_GiveTheSameGridAsFromPixels()
    {
        float[][] images = [[0f, 0.25f, 0.5f, 1f], [1f, 0.75f, 0.5f, 0f], [0.1f, 0.2f, 0.3f, 0.4f]];
        var expected = ImageGrid.FromPixels(images, 2, 2, columns: 2).ToPng();
        var flat = images.SelectMany(image => image).ToArray();

        Assert.Equal(expected, ImageGrid.FromTensor(Tensor.FromArray(flat, 3, 4), 2, 2, columns: 2).ToPng());
        Assert.Equal(expected, ImageGrid.FromTensor(Tensor.FromArray(flat, 3, 1, 2, 2), 2, 2, columns: 2).ToPng());
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.FromTensor(Tensor.FromArray(flat, 4, 3), 2, 2));
        Assert.Contains("(4, 3)", error.Message);
    }
}
