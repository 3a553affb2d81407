using System.Text.RegularExpressions;
using Course.Execution;
using Course.Notebooks;

namespace Course.Checking;

/// <summary>
/// Decides whether a code cell's fresh outputs match its stored ones (what <c>check</c> does,
/// in the spirit of nbval for Jupyter).
/// <para>The rules:</para>
/// <list type="number">
/// <item>Execution counts and output metadata are ignored.</item>
/// <item>Consecutive stream outputs with the same name are merged first: how Console writes are
/// split into outputs is an accident of timing, the text is what matters.</item>
/// <item>Outputs are compared in order; their number and their types must match.</item>
/// <item>stream: same name (stdout/stderr); texts equal after normalising line endings
/// ("\r\n" -> "\n") and comparing numbers by tolerance (rule 6).</item>
/// <item>display_data and execute_result: the same set of mime types; each representation equal
/// by rule 6. Before that, every embedded <c>data:image/png;base64,...</c> payload (and an
/// image/png representation itself) is taken out of the text and compared by decoded pixels
/// (size, pixel format, palette, unfiltered pixel bytes), so a PNG written by another zlib still
/// matches; text/html, image/svg+xml and text/plain all follow this one rule. In text/html and
/// image/svg+xml, element ids are names, not content: each <c>id="..."</c> is renamed by its order of
/// first appearance, together with its references (<c>url(#...)</c>, <c>href="#..."</c>), so a figure
/// whose ids are derived from its data still matches when that data moved within tolerance.</item>
/// <item>Text with numbers: the text is cut into numbers (<c>[-+]?digits[.digits][e[-+]digits]</c>)
/// and the text between them; the in-between text must be identical and each pair of numbers
/// equal within a relative 1e-6 of the larger magnitude, or an absolute 1e-12 (noise around zero).</item>
/// <item>error: same ename, and evalue equal by rule 6; tracebacks are ignored (they hold stack
/// frames that change with the library's internals).</item>
/// </list>
/// </summary>
public static partial class OutputComparer
{
    /// <summary>The mismatches between a cell's stored and fresh outputs; empty when they match.</summary>
    public static IReadOnlyList<OutputMismatch> Compare(CellLocation cell, IReadOnlyList<NotebookOutput> stored, IReadOnlyList<NotebookOutput> fresh)
    {
        var expected = MergeStreams(stored);
        var actual = MergeStreams(fresh);
        var mismatches = new List<OutputMismatch>();
        for (var index = 0; index < Math.Max(expected.Count, actual.Count); index++)
        {
            var expectedOutput = index < expected.Count ? expected[index] : null;
            var actualOutput = index < actual.Count ? actual[index] : null;
            var what = $"output {index + 1}";
            if (expectedOutput is null || actualOutput is null || expectedOutput.OutputType != actualOutput.OutputType)
            {
                mismatches.Add(new OutputMismatch(cell, $"{what} ({Kind(expectedOutput)} stored, {Kind(actualOutput)} fresh)", Describe(expectedOutput), Describe(actualOutput)));
                continue;
            }
            switch (expectedOutput, actualOutput)
            {
                case (StreamOutput expectedStream, StreamOutput actualStream):
                    if (expectedStream.Name != actualStream.Name || !TolerantText.Equal(expectedStream.Text, actualStream.Text))
                        mismatches.Add(new OutputMismatch(cell, $"{what} (stream {expectedStream.Name})", Describe(expectedStream), Describe(actualStream)));
                    break;
                case (ErrorOutput expectedError, ErrorOutput actualError):
                    if (expectedError.EName != actualError.EName || !TolerantText.Equal(expectedError.EValue, actualError.EValue))
                        mismatches.Add(new OutputMismatch(cell, $"{what} (error)", Describe(expectedError), Describe(actualError)));
                    break;
                default:
                    mismatches.AddRange(CompareBundles(cell, what, BundleOf(expectedOutput), BundleOf(actualOutput)));
                    break;
            }
        }
        return mismatches;
    }

    /// <summary>True when two representations of the same mime type match by rules 5 and 6.</summary>
    public static bool RepresentationsEqual(string mimeType, string expected, string actual)
    {
        if (mimeType == "image/png") return PngEqual(expected, actual);
        if (mimeType is "text/html" or "image/svg+xml") (expected, actual) = (CanonicalIds(expected), CanonicalIds(actual));
        var (expectedText, expectedImages) = ExtractPngPayloads(expected);
        var (actualText, actualImages) = ExtractPngPayloads(actual);
        return expectedImages.Count == actualImages.Count &&
               expectedImages.Zip(actualImages).All(pair => PngEqual(pair.First, pair.Second)) &&
               TolerantText.Equal(expectedText, actualText);
    }

    private static IEnumerable<OutputMismatch> CompareBundles(CellLocation cell, string what, MimeBundle expected, MimeBundle actual)
    {
        var expectedKinds = string.Join(", ", expected.Keys.Order(StringComparer.Ordinal));
        var actualKinds = string.Join(", ", actual.Keys.Order(StringComparer.Ordinal));
        if (expectedKinds != actualKinds)
        {
            yield return new OutputMismatch(cell, $"{what} (mime types)", expectedKinds, actualKinds);
            yield break;
        }
        foreach (var (mimeType, expectedValue) in expected)
            if (!RepresentationsEqual(mimeType, expectedValue, actual[mimeType]))
                yield return new OutputMismatch(cell, $"{what} ({mimeType})", expectedValue, actual[mimeType]);
    }

    private static bool PngEqual(string expectedBase64, string actualBase64)
    {
        try
        {
            return PngPixels.Equal(Convert.FromBase64String(Clean(expectedBase64)), Convert.FromBase64String(Clean(actualBase64)));
        }
        catch (FormatException)
        {
            return expectedBase64 == actualBase64;
        }
        static string Clean(string base64) => WhiteSpace().Replace(base64, "");
    }

    /// <summary>Renames every element id to <c>id1</c>, <c>id2</c>, ... in order of first appearance, and its references with it.</summary>
    internal static string CanonicalIds(string markup)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in IdAttribute().Matches(markup))
            names.TryAdd(match.Groups["name"].Value, $"id{names.Count + 1}");
        if (names.Count == 0) return markup;
        return IdOrReference().Replace(markup, match =>
            names.TryGetValue(match.Groups["name"].Value, out var canonical) ? match.Groups["lead"].Value + canonical : match.Value);
    }

    /// <summary>Replaces each data:image/png;base64 payload with a marker and returns the payloads in order.</summary>
    private static (string Text, List<string> Payloads) ExtractPngPayloads(string text)
    {
        var payloads = new List<string>();
        var stripped = PngDataUri().Replace(text, match =>
        {
            payloads.Add(match.Groups["payload"].Value);
            return "data:image/png;base64,<png>";
        });
        return (stripped, payloads);
    }

    /// <summary>The outputs as rule 2 sees them: consecutive stream outputs with the same name merged; "output N" of a mismatch counts these.</summary>
    internal static List<NotebookOutput> MergeStreams(IReadOnlyList<NotebookOutput> outputs)
    {
        var merged = new List<NotebookOutput>();
        foreach (var output in outputs)
        {
            if (output is StreamOutput stream && merged.Count > 0 && merged[^1] is StreamOutput last && last.Name == stream.Name)
                merged[^1] = last with { Text = last.Text + stream.Text };
            else merged.Add(output);
        }
        return merged;
    }

    private static MimeBundle BundleOf(NotebookOutput output) => output switch
    {
        DisplayDataOutput display => display.Data,
        ExecuteResultOutput result => result.Data,
        _ => new MimeBundle(),
    };

    private static string Kind(NotebookOutput? output) => output?.OutputType ?? "nothing";

    private static string Describe(NotebookOutput? output) => output switch
    {
        null => "",
        StreamOutput stream => stream.Text,
        ErrorOutput error => $"{error.EName}: {error.EValue}",
        _ => string.Join("\n", BundleOf(output).Select(pair => $"[{pair.Key}]\n{pair.Value}")),
    };

    [GeneratedRegex(@"\bid=""(?<name>[^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"(?<lead>\bid=""|url\(#|href=""#)(?<name>[^"")]+)")]
    private static partial Regex IdOrReference();

    [GeneratedRegex(@"data:image/png;base64,(?<payload>[A-Za-z0-9+/=\s]+)")]
    private static partial Regex PngDataUri();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

/// <summary>One difference between stored and fresh outputs of a cell.</summary>
/// <param name="Cell">The notebook and cell.</param>
/// <param name="What">Which output and representation, e.g. "output 2 (text/html)".</param>
/// <param name="Expected">The stored text.</param>
/// <param name="Actual">The fresh text.</param>
public sealed record OutputMismatch(CellLocation Cell, string What, string Expected, string Actual);
