using System.Globalization;
using Generative.Notebook;

namespace Generative.Training;

/// <summary>The bar both progress reports draw: an HTML &lt;progress&gt; element, or 20 characters of '#' and '-'.</summary>
internal static class ProgressBar
{
    /// <summary>The bar and <paramref name="text"/> for a notebook.</summary>
    public static string Html(double fraction, string text)
    {
        var percent = (fraction * 100).ToString("F0", CultureInfo.InvariantCulture);
        return $"<div class=\"gen-training\"><progress max=\"100\" value=\"{percent}\" style=\"width:20em\"></progress> " +
            $"<span>{HtmlText.Escape(text)}</span></div>";
    }

    /// <summary>The bar and <paramref name="text"/> for a terminal or a stored plain-text output.</summary>
    public static string Text(double fraction, string text)
    {
        const int width = 20;
        var filled = (int)Math.Round(fraction * width);
        return $"[{new string('#', filled)}{new string('-', width - filled)}] {text}";
    }

    /// <summary>Draws <paramref name="plainText"/> on standard error: in place on a terminal, a line per report when
    /// standard error is redirected to a file, so logs stay readable.</summary>
    public static void ToConsole(string plainText, bool finished)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(plainText);
            return;
        }
        Console.Error.Write("\r" + plainText.PadRight(100));
        if (finished)
        {
            Console.Error.WriteLine();
        }
    }
}
