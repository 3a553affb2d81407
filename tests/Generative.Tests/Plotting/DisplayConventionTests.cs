using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Generative.Plotting;

namespace Generative.Tests.Plotting;

/// <summary>
/// Formats values exactly as .NET Interactive's convention does, by reflection and names only, to prove a
/// Polyglot kernel (and the course runner) would find our formatters.
/// </summary>
public class DisplayConventionTests
{
    private static Dictionary<string, string> FormatByConvention(object value)
    {
        var attribute = value.GetType().GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var preferred = (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable)sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.Instance)!.Invoke(source, null)!;
        var bundle = new Dictionary<string, string>();
        foreach (var formatter in formatters)
        {
            var type = formatter.GetType();
            var mimeType = (string)type.GetProperty("MimeType")!.GetValue(formatter)!;
            Assert.True(((Type)type.GetProperty("Type")!.GetValue(formatter)!).IsInstanceOfType(value));
            var writer = new StringWriter();
            var handled = (bool)type.GetMethod("Format", [typeof(object), typeof(TextWriter)])!.Invoke(formatter, [value, writer])!;
            Assert.True(handled);
            bundle[mimeType] = writer.ToString();
        }
        // A kernel stores exactly the preferred MIME types, so every one of them needs a formatter.
        Assert.Equal(preferred.Order(), bundle.Keys.Order());
        return bundle;
    }

    [Fact]
    public void Figure_ByConvention_HtmlWrapsJsonAndSvg()
    {
        var figure = Plot.Line([1, 2, 3], "a \"quoted\" <name>").WithTitle("Loss & more");

        var bundle = FormatByConvention(figure);

        var match = Regex.Match(bundle["text/html"], "^<div class=\"gen-figure\"><svg [^>]*>.*</svg><script type=\"application/json\" class=\"gen-plotly-spec\">(.*)</script></div>$", RegexOptions.Singleline);
        Assert.True(match.Success, bundle["text/html"][..Math.Min(200, bundle["text/html"].Length)]);
        Assert.Equal(figure.ToJson(), match.Groups[1].Value);
        Assert.DoesNotContain("<", match.Groups[1].Value); // '<' in names is escaped, so "</script>" cannot end the element early
        Assert.Equal("Figure: Loss & more (1 trace: scatter 'a \"quoted\" <name>' with 3 points)", bundle["text/plain"]);
        // The plain image form, for viewers that strip HTML, is the same drawing as a standalone SVG document.
        Assert.Equal(figure.ToSvg(), bundle["image/svg+xml"]);
        Assert.Equal("http://www.w3.org/2000/svg", System.Xml.Linq.XDocument.Parse(bundle["image/svg+xml"]).Root!.Name.NamespaceName);
    }

    [Fact]
    public void ImageGrid_ByConvention_HtmlIsPngImgAndPlainTextDescribes()
    {
        var grid = ImageGrid.FromBytes([new byte[4]], 2, 2);
        var bundle = FormatByConvention(grid);
        Assert.StartsWith("<img class=\"gen-image\"", bundle["text/html"]);
        Assert.Equal("ImageGrid: 1 image of 2x2 in 1 row x 1 column", bundle["text/plain"]);
        Assert.Equal(grid.ToPng(), Convert.FromBase64String(bundle["image/png"]));
    }

    [Fact]
    public void Formatter_ValueOfOtherType_ReturnsFalseAndWritesNothing()
    {
        var formatter = new Generative.Notebook.DisplayFormatterSource<Figure>().CreateTypeFormatters().Cast<Generative.Notebook.DisplayFormatter>().First();
        var writer = new StringWriter();
        Assert.False(formatter.Format("not a figure", writer));
        Assert.Equal("", writer.ToString());
    }
}
