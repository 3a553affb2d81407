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
            case JsonObject obj when obj.Count == 0:
                builder.Append("{}");
                break;
            case JsonObject obj:
                builder.Append("{\n");
                var first = true;
                foreach (var (key, value) in obj.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    if (!first) builder.Append(",\n");
                    first = false;
                    builder.Append(' ', depth + 1);
                    WriteString(builder, key);
                    builder.Append(": ");
                    Write(builder, value, depth + 1);
                }
                builder.Append('\n').Append(' ', depth).Append('}');
                break;
            case JsonArray array when array.Count == 0:
                builder.Append("[]");
                break;
            case JsonArray array:
                builder.Append("[\n");
                for (var index = 0; index < array.Count; index++)
                {
                    if (index > 0) builder.Append(",\n");
                    builder.Append(' ', depth + 1);
                    Write(builder, array[index], depth + 1);
                }
                builder.Append('\n').Append(' ', depth).Append(']');
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
