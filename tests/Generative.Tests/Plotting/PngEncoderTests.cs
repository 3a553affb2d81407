using System.Text;
using Generative.Data;
using Generative.Plotting;

using Generative.IO;

namespace Generative.Tests.Plotting;

public class PngEncoderTests
{
    private static uint Crc(byte[] bytes) => Crc32.Compute(bytes);

    [Fact]
    public void Crc32_CheckString_MatchesPublishedCheckValue()
    {
        // The standard check value of CRC-32/ISO-HDLC for the ASCII digits "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Encode_Gray_RoundTripsPixelsAndChunks()
    {
        var pixels = Enumerable.Range(0, 7 * 5).Select(i => (byte)(i * 7)).ToArray();
        var png = PngEncoder.Encode(7, 5, PngColor.Gray, pixels);

        var image = PngImage.Read(png, Crc);

        Assert.Equal((7, 5, 0), (image.Width, image.Height, image.ColorType));
        Assert.Equal(pixels, image.Pixels);
        Assert.Equal(["IHDR", "IDAT", "IEND"], image.ChunkTypes);
    }

    [Fact]
    public void Encode_Rgba_RoundTripsPixels()
    {
        var pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(255 - i)).ToArray();
        var image = PngImage.Read(PngEncoder.Encode(3, 2, PngColor.Rgba, pixels), Crc);
        Assert.Equal(6, image.ColorType);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void Encode_AnyImage_EndsWithTheFixedIendChunk()
    {
        // IEND has no data, so its CRC is the constant AE 42 60 82 given in the PNG specification's examples.
        var png = PngEncoder.Encode(1, 1, PngColor.Gray, [0]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [Fact]
    public void Encode_SamePixelsTwice_GivesIdenticalBytes()
    {
        var pixels = Enumerable.Range(0, 64 * 64).Select(i => (byte)(i % 251)).ToArray();
        Assert.Equal(PngEncoder.Encode(64, 64, PngColor.Gray, pixels), PngEncoder.Encode(64, 64, PngColor.Gray, pixels));
    }

    [Fact]
    public void Encode_WrongPixelCount_ThrowsNamingSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(4, 4, PngColor.Rgb, new byte[10]));
        Assert.Contains("48", error.Message);
    }
}
