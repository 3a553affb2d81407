using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Generative.Notebook;

/// <summary>
/// The text/plain rendering of values whose type has no formatter of its own: readable
/// collections (<c>[1, 2, 3]</c>), tuples (<c>(1, "a")</c>), round-trip doubles, invariant culture
/// so outputs are the same on every machine, and <c>&lt;null&gt;</c> for null.
/// </summary>
/// <remarks>
/// Shared as source, not as a public type: the course runner compiles this file into itself (it must not load the
/// library, see <c>lib/Course/Course.csproj</c>) and stores notebook outputs with it, and <c>NotebookConsole</c>
/// prints with it, so a lesson exported as a file-based app prints exactly what its notebook stores.
/// </remarks>
internal static class PlainTextFormatter
{
    /// <summary>Collections longer than this show their first items and "...", so a huge array does not flood the notebook.</summary>
    public const int MaxItems = 100;

    /// <summary>Formats <paramref name="value"/> as text.</summary>
    public static string Format(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value, depth: 0);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, object? value, int depth)
    {
        switch (value)
        {
            case null:
                builder.Append("<null>");
                break;
            case string text:
                // Top-level strings show as they are; inside a collection they are quoted so items stay distinguishable.
                builder.Append(depth == 0 ? text : Quote(text));
                break;
            case double number:
                builder.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float number:
                builder.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case ITuple tuple when IsValueTuple(value.GetType()):
                builder.Append('(');
                for (var index = 0; index < tuple.Length; index++)
                {
                    if (index > 0) builder.Append(", ");
                    Append(builder, tuple[index], depth + 1);
                }
                builder.Append(')');
                break;
            case Array { Rank: > 1 } array:
                AppendMultiDimensional(builder, array, new int[array.Rank], 0, depth);
                break;
            case IDictionary dictionary:
                builder.Append('{');
                var count = 0;
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (count++ >= MaxItems) { builder.Append(", ..."); break; }
                    builder.Append(count == 1 ? " " : ", ");
                    Append(builder, entry.Key, depth + 1);
                    builder.Append(": ");
                    Append(builder, entry.Value, depth + 1);
                }
                builder.Append(count == 0 ? "}" : " }");
                break;
            case IEnumerable items:
                AppendItems(builder, items.Cast<object?>(), depth);
                break;
            case IFormattable formattable:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(value.ToString() ?? value.GetType().FullName);
                break;
        }
    }

    private static void AppendItems(StringBuilder builder, IEnumerable<object?> items, int depth)
    {
        builder.Append('[');
        var count = 0;
        foreach (var item in items)
        {
            if (count > 0) builder.Append(", ");
            if (count++ >= MaxItems) { builder.Append("..."); break; }
            Append(builder, item, depth + 1);
        }
        builder.Append(']');
    }

    private static void AppendMultiDimensional(StringBuilder builder, Array array, int[] indices, int dimension, int depth)
    {
        builder.Append('[');
        var length = array.GetLength(dimension);
        for (var index = 0; index < length; index++)
        {
            if (index > 0) builder.Append(", ");
            if (index >= MaxItems) { builder.Append("..."); break; }
            indices[dimension] = index;
            if (dimension == array.Rank - 1) Append(builder, array.GetValue(indices), depth + 1);
            else AppendMultiDimensional(builder, array, indices, dimension + 1, depth + 1);
        }
        builder.Append(']');
    }

    private static bool IsValueTuple(Type type) =>
        type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) ||
        type.IsGenericType && type.FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal);

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";
}
