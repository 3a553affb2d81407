using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Serialises JSON exactly as Jupyter's nbformat does (Python <c>json.dumps(nb, sort_keys=True,
/// indent=1, ensure_ascii=False)</c>): keys sorted, one space per level, non-ASCII written as is.
/// VS Code writes the same layout, so notebooks written here and there diff cleanly.
/// </summary>
internal static class JupyterJson
{
    /// <summary>Serialises <paramref name="node"/> without a trailing newline.</summary>
    public static string Serialize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                WriteBlock(builder, depth, '{', '}', obj.OrderBy(pair => pair.Key, StringComparer.Ordinal), pair =>
                {
                    WriteString(builder, pair.Key);
                    builder.Append(": ");
                    Write(builder, pair.Value, depth + 1);
                });
                break;
            case JsonArray array:
                WriteBlock(builder, depth, '[', ']', array, item => Write(builder, item, depth + 1));
                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                WriteString(builder, text);
                break;
            default:
                // Numbers and booleans: System.Text.Json keeps the text a number was read with.
                builder.Append(node.ToJsonString());
                break;
        }
    }

    /// <summary>
    /// An object or array: <c>{}</c> / <c>[]</c> when empty, else the opening bracket, then one item per line
    /// indented depth + 1 spaces with commas between, then the closing bracket on its own line indented depth spaces.
    /// </summary>
    private static void WriteBlock<T>(StringBuilder builder, int depth, char open, char close, IEnumerable<T> items, Action<T> writeItem)
    {
        builder.Append(open);
        var empty = true;
        foreach (var item in items)
        {
            builder.Append(empty ? "\n" : ",\n").Append(' ', depth + 1);
            empty = false;
            writeItem(item);
        }
        if (!empty)
        {
            builder.Append('\n').Append(' ', depth);
        }
        builder.Append(close);
    }

    /// <summary>Python's escaping with ensure_ascii=False: quotes, backslash and control characters only.</summary>
    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    var isLoneSurrogate = char.IsSurrogate(c) &&
                        !(char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]));
                    if (c < 0x20 || isLoneSurrogate)
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c))
                    {
                        builder.Append(c).Append(text[index + 1]);
                        index++;
                    }
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}
