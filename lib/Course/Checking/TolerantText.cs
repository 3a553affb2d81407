using System.Globalization;
using System.Text.RegularExpressions;

namespace Course.Checking;

/// <summary>
/// Compares texts that may print floating-point numbers: the texts are cut into numbers and the
/// text between them; the text must be equal and each pair of numbers equal within
/// <see cref="RelativeTolerance"/> of the larger magnitude (or <see cref="AbsoluteTolerance"/>, so
/// round-off noise around zero such as 1e-17 vs -2e-17 passes). Line endings are normalised first.
/// </summary>
public static partial class TolerantText
{
    /// <summary>Numbers may differ by this fraction of the larger magnitude: last-digit changes from another CPU's summation order, not different results.</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>Numbers whose difference is below this are equal whatever their magnitude (noise around zero).</summary>
    public const double AbsoluteTolerance = 1e-12;

    /// <summary>"\r\n" and lone "\r" become "\n", so notebooks written on Windows compare equal.</summary>
    public static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>True when <paramref name="expected"/> and <paramref name="actual"/> are equal up to line endings and numeric tolerance.</summary>
    public static bool Equal(string expected, string actual)
    {
        expected = NormalizeLineEndings(expected);
        actual = NormalizeLineEndings(actual);
        if (expected == actual) return true;
        var expectedMatches = Number().Matches(expected);
        var actualMatches = Number().Matches(actual);
        if (expectedMatches.Count != actualMatches.Count) return false;
        int expectedStart = 0, actualStart = 0;
        for (var index = 0; index < expectedMatches.Count; index++)
        {
            Match expectedNumber = expectedMatches[index], actualNumber = actualMatches[index];
            if (!expected.AsSpan(expectedStart, expectedNumber.Index - expectedStart).SequenceEqual(actual.AsSpan(actualStart, actualNumber.Index - actualStart)))
                return false;
            if (!NumbersEqual(expectedNumber.Value, actualNumber.Value)) return false;
            expectedStart = expectedNumber.Index + expectedNumber.Length;
            actualStart = actualNumber.Index + actualNumber.Length;
        }
        return expected.AsSpan(expectedStart).SequenceEqual(actual.AsSpan(actualStart));
    }

    private static bool NumbersEqual(string expectedText, string actualText)
    {
        if (expectedText == actualText) return true;
        if (!double.TryParse(expectedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected) ||
            !double.TryParse(actualText, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual))
            return false;
        var difference = Math.Abs(expected - actual);
        return difference <= AbsoluteTolerance || difference <= RelativeTolerance * Math.Max(Math.Abs(expected), Math.Abs(actual));
    }

    /// <summary>Decimal numbers with optional sign, fraction and exponent: 3, -0.25, .5, 1e-7, 6.02E+23.</summary>
    [GeneratedRegex(@"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
