using Generative.Notebook;

namespace Generative.Tests.Notebook;

public class CheckTests
{
    [Fact]
    public void Answer_WithinTolerance_PassesAndSaysCorrect()
    {
        var result = Check.Answer("Exercise 1", 0.333, 1 / 3.0, 1e-3);

        Assert.True(result.Passed);
        Assert.Equal("✔ Exercise 1: correct", result.ToString());
    }

    [Fact]
    public void Answer_OutsideTolerance_NotYetWithHintAndWithoutRevealingExpected()
    {
        var result = Check.Answer("Exercise 2", 0.5, 0.125, 1e-6, hint: "count the parameters per row");

        Assert.False(result.Passed);
        Assert.StartsWith("✗ Exercise 2: not yet", result.ToString());
        Assert.Contains("count the parameters per row", result.Message);
        Assert.DoesNotContain("0.125", result.Message);
    }

    [Fact]
    public void Answer_NaNNullOrBadTolerance_NeverThrows()
    {
        Assert.False(Check.Answer("a", double.NaN, 1, 0.1).Passed);
        Assert.False(Check.Answer("b", null, [1.0], 0.1).Passed);
        Assert.False(Check.Answer("c", 1, 1, -1).Passed);
        Assert.False(Check.Answer("d", [1.0, 2.0], [1.0], 0.1).Passed);
    }

    [Fact]
    public void Answer_IntegerAndBool_CompareExactly()
    {
        Assert.True(Check.Answer("n", 307_720, 307_720).Passed);
        Assert.False(Check.Answer("n", 307_721, 307_720).Passed);
        Assert.True(Check.Answer("b", true, true).Passed);
        Assert.False(Check.Answer("b", false, true).Passed);
    }

    [Fact]
    public void Answer_Vector_CountsEntriesOff()
    {
        var result = Check.Answer("v", [1.0, 2.5, 3.0], [1.0, 2.0, 3.0], 0.1);

        Assert.False(result.Passed);
        Assert.Contains("1 of 3", result.Message);
        Assert.True(Check.Answer("v", [1.0, 2.0], [1.0, 2.0], 0).Passed);
    }

    [Fact]
    public void Agrees_WithinTolerance_ReturnsPassedResult()
    {
        var result = Check.Agrees("KL closed form", 0.1234567, 0.1234567 + 1e-12, 1e-9);

        Assert.True(result.Passed);
        Assert.StartsWith("✔ KL closed form", result.ToPlainText());
    }

    [Fact]
    public void Agrees_Mismatch_ThrowsNamingWhatValuesAndTolerance()
    {
        var error = Assert.Throws<CheckFailedException>(() => Check.Agrees("D* at x = 0", 0.5, 0.25, 1e-9));

        Assert.Contains("D* at x = 0", error.Message);
        Assert.Contains("0.5", error.Message);
        Assert.Contains("0.25", error.Message);
        Assert.Contains("1E-09", error.Message);
    }

    [Fact]
    public void Agrees_NaN_Throws()
    {
        Assert.Throws<CheckFailedException>(() => Check.Agrees("x", double.NaN, 1, 1));
    }

    [Fact]
    public void Agrees_VectorsOfDifferentLength_Throws()
    {
        Assert.Throws<CheckFailedException>(() => Check.Agrees("v", [1.0], [1.0, 2.0], 0.1));
    }

    [Fact]
    public void CheckResult_Formatters_ProduceHtmlAndPlainText()
    {
        var result = Check.Answer("Exercise <3>", 1, 2, 0.1);
        var formatters = new DisplayFormatterSource<CheckResult>().CreateTypeFormatters().Cast<DisplayFormatter>().ToList();
        var attribute = typeof(CheckResult).GetCustomAttributes(typeof(TypeFormatterSourceAttribute), inherit: true).Single();

        Assert.NotNull(attribute);
        var html = Render(formatters.Single(f => f.MimeType == MimeTypes.Html), result);
        var text = Render(formatters.Single(f => f.MimeType == MimeTypes.PlainText), result);
        Assert.Contains("✗", html);
        Assert.Contains("Exercise &lt;3&gt;", html);
        Assert.Equal(result.ToPlainText(), text);
    }

    private static string Render(DisplayFormatter formatter, object value)
    {
        using var writer = new StringWriter();
        Assert.True(formatter.Format(value, writer));
        return writer.ToString();
    }
}
