using System.IO.Compression;
using Course.Checking;
using Course.Execution;
using Course.Notebooks;

namespace Course.Tests;

public sealed class OutputComparerTests
{
    private static readonly CellLocation Cell = new("lesson.ipynb", 4);

    private static IReadOnlyList<OutputMismatch> CompareStreams(string stored, string fresh) =>
        OutputComparer.Compare(Cell, [new StreamOutput("stdout", stored)], [new StreamOutput("stdout", fresh)]);

    private static IReadOnlyList<OutputMismatch> CompareHtml(string stored, string fresh) =>
        OutputComparer.Compare(Cell,
            [new DisplayDataOutput(new MimeBundle([new("text/html", stored), new("text/plain", "figure")]), [])],
            [new DisplayDataOutput(new MimeBundle([new("text/html", fresh), new("text/plain", "figure")]), [])]);

    [Fact]
    public void Compare_ChangedNumber_Mismatch()
    {
        var mismatch = Assert.Single(CompareStreams("loss 0.6931\n", "loss 0.6932\n"));
        Assert.Equal(Cell, mismatch.Cell);
        Assert.Equal("output 1 (stream stdout)", mismatch.What);
    }

    [Theory]
    [InlineData("mean 1.0000000", "mean 1.0000005")]          // relative 5e-7
    [InlineData("x = 123456.789", "x = 123456.7891")]         // relative 8e-10
    [InlineData("tiny 1e-17", "tiny -2e-17")]                 // absolute noise around zero
    [InlineData("6.02E+23 items", "6.0200001E+23 items")]
    public void Compare_NumbersWithinTolerance_Match(string stored, string fresh) =>
        Assert.Empty(CompareStreams(stored, fresh));

    [Theory]
    [InlineData("mean 1.000000", "mean 1.000002")]            // relative 2e-6
    [InlineData("3 items", "3 things")]
    [InlineData("a 1 b", "a 1 b 2")]
    public void Compare_BeyondToleranceOrOtherText_Mismatch(string stored, string fresh) =>
        Assert.Single(CompareStreams(stored, fresh));

    [Fact]
    public void Compare_WindowsLineEndings_Match() =>
        Assert.Empty(CompareStreams("a\r\nb\r\n", "a\nb\n"));

    [Fact]
    public void Compare_StreamSplitDifferently_Match() =>
        Assert.Empty(OutputComparer.Compare(Cell,
            [new StreamOutput("stdout", "a\n"), new StreamOutput("stdout", "b\n")],
            [new StreamOutput("stdout", "a\nb\n")]));

    [Fact]
    public void Compare_ChangedHtml_MismatchNamesMimeType()
    {
        var mismatch = Assert.Single(CompareHtml("<svg><rect width=\"10\"/></svg>", "<svg><circle r=\"10\"/></svg>"));
        Assert.Equal("output 1 (text/html)", mismatch.What);
    }

    [Fact]
    public void Compare_HtmlNumbersWithinTolerance_Match() =>
        Assert.Empty(CompareHtml("<path d=\"M 0.1 20.0000001\"/>", "<path d=\"M 0.1 20\"/>"));

    [Theory]
    [InlineData("image/svg+xml")]
    [InlineData("text/html")]
    public void RepresentationsEqual_SvgIdsRenamedConsistently_Match(string mimeType) =>
        Assert.True(OutputComparer.RepresentationsEqual(mimeType,
            """<svg><clipPath id="gf12ab-plot0"/><g clip-path="url(#gf12ab-plot0)"/><use href="#gf12ab-plot0"/></svg>""",
            """<svg><clipPath id="gf99zz-plot0"/><g clip-path="url(#gf99zz-plot0)"/><use href="#gf99zz-plot0"/></svg>"""));

    [Fact]
    public void RepresentationsEqual_ReferenceToAnotherElement_Mismatch() =>
        // Same ids, but the group now clips with the second path: the drawing differs, so the rule must not hide it.
        Assert.False(OutputComparer.RepresentationsEqual("image/svg+xml",
            """<svg><clipPath id="a"/><clipPath id="b"/><g clip-path="url(#a)"/></svg>""",
            """<svg><clipPath id="x"/><clipPath id="y"/><g clip-path="url(#y)"/></svg>"""));

    [Fact]
    public void RepresentationsEqual_PlainTextWithIdLikeText_ComparedExactly() =>
        Assert.False(OutputComparer.RepresentationsEqual("text/plain", "id=\"a\"", "id=\"b\""));

    [Fact]
    public void Compare_ErrorOutputs_ByNameAndValueNotTraceback()
    {
        Assert.Empty(OutputComparer.Compare(Cell, [new ErrorOutput("E", "bad 1", ["a"])], [new ErrorOutput("E", "bad 1", ["b", "c"])]));
        Assert.Single(OutputComparer.Compare(Cell, [new ErrorOutput("E", "bad 1", [])], [new ErrorOutput("F", "bad 1", [])]));
    }

    [Fact]
    public void Compare_ExecutionCounts_Ignored() =>
        Assert.Empty(OutputComparer.Compare(Cell,
            [new ExecuteResultOutput(7, new MimeBundle([new("text/plain", "2")]), [])],
            [new ExecuteResultOutput(1, new MimeBundle([new("text/plain", "2")]), [])]));

    [Fact]
    public void Compare_MissingOutput_Mismatch()
    {
        var mismatch = Assert.Single(OutputComparer.Compare(Cell, [new StreamOutput("stdout", "a")], []));
        Assert.Equal("output 1 (stream stored, nothing fresh)", mismatch.What);
    }

    [Fact]
    public void Compare_EmbeddedPngSamePixelsOtherCompression_Match()
    {
        var pixels = Gradient(16, 8);
        var fast = Png(16, 8, pixels, CompressionLevel.Fastest);
        var best = Png(16, 8, pixels, CompressionLevel.SmallestSize);
        Assert.NotEqual(fast, best);

        Assert.Empty(CompareHtml(ImgTag(fast), ImgTag(best)));
    }

    [Fact]
    public void Compare_EmbeddedPngOnePixelChanged_Mismatch()
    {
        var pixels = Gradient(16, 8);
        var changed = (byte[])pixels.Clone();
        changed[37] ^= 1;

        Assert.Single(CompareHtml(ImgTag(Png(16, 8, pixels, CompressionLevel.Optimal)), ImgTag(Png(16, 8, changed, CompressionLevel.Optimal))));
    }

    [Fact]
    public void PngPixels_SubFilteredAndUnfiltered_DecodeToSamePixels()
    {
        var pixels = Gradient(5, 3);
        var unfiltered = PngPixels.TryDecode(Png(5, 3, pixels, CompressionLevel.Optimal, subFilter: false));
        var subFiltered = PngPixels.TryDecode(Png(5, 3, pixels, CompressionLevel.Optimal, subFilter: true));

        Assert.Equal(pixels, unfiltered!.Value.Pixels);
        Assert.Equal(pixels, subFiltered!.Value.Pixels);
    }

    [Fact]
    public void LineDiff_OneChangedLine_ShowsItWithContext()
    {
        var diff = LineDiff.Format("a\nb\nc\nd\ne\nf\ng", "a\nb\nc\nD\ne\nf\ng");

        Assert.Equal("@@ stored line 2 @@\n  b\n  c\n- d\n+ D\n  e\n  f\n", diff);
    }

    private static string ImgTag(byte[] png) => $"<img class=\"gen-image\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";

    private static byte[] Gradient(int width, int height) =>
        Enumerable.Range(0, width * height).Select(index => (byte)(index * 7 % 256)).ToArray();

    /// <summary>A minimal 8-bit grayscale PNG encoder (test-only, independent of the decoder under test); CRCs are not checked by the decoder and left zero.</summary>
    private static byte[] Png(int width, int height, byte[] pixels, CompressionLevel level, bool subFilter = false)
    {
        using var raw = new MemoryStream();
        for (var row = 0; row < height; row++)
        {
            raw.WriteByte(subFilter ? (byte)1 : (byte)0);
            for (var column = 0; column < width; column++)
            {
                var value = pixels[row * width + column];
                var left = column > 0 ? pixels[row * width + column - 1] : (byte)0;
                raw.WriteByte(subFilter ? (byte)(value - left) : value);
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true)) zlib.Write(raw.ToArray());

        using var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Chunk(png, "IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 0, 0, 0, 0]);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        png.Write(BigEndian(data.Length));
        png.Write(System.Text.Encoding.ASCII.GetBytes(type));
        png.Write(data);
        png.Write([0, 0, 0, 0]);
    }

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
