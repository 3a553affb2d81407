using System.Text.Json.Nodes;
using Course.IO;

namespace Course.Notebooks;

/// <summary>
/// Writes notebooks as nbformat 4.5 JSON in Jupyter's layout (sorted keys, 1-space indent,
/// multi-line strings as lists of lines, trailing newline). Writes are atomic: the JSON goes to a
/// temporary file beside the target, then replaces it, so an interrupted run never leaves a
/// half-written notebook.
/// </summary>
public static class NotebookWriter
{
    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(NotebookDocument document, string path) => AtomicTextFile.Write(path, Serialize(document));

    /// <summary>The notebook's JSON text, ending with a newline.</summary>
    public static string Serialize(NotebookDocument document) => JupyterJson.Serialize(ToJson(document)) + "\n";

    /// <summary>The notebook as a JSON tree (nbformat 4.5: every cell has an id).</summary>
    public static JsonObject ToJson(NotebookDocument document)
    {
        var root = (JsonObject)document.ExtraProperties.DeepClone();
        root["cells"] = new JsonArray(document.Cells.Select(CellToJson).ToArray<JsonNode?>());
        root["metadata"] = document.Metadata.DeepClone();
        root["nbformat"] = document.NbFormat;
        // Cell ids arrived in 4.5; this model always has them.
        root["nbformat_minor"] = Math.Max(document.NbFormatMinor, 5);
        return root;
    }

    private static JsonObject CellToJson(NotebookCell cell)
    {
        var json = (JsonObject)cell.ExtraProperties.DeepClone();
        json["cell_type"] = cell.CellType;
        json["id"] = cell.Id;
        json["metadata"] = cell.Metadata.DeepClone();
        json["source"] = Lines(cell.Source);
        if (cell.IsCode)
        {
            json["execution_count"] = cell.ExecutionCount;
            json["outputs"] = new JsonArray(cell.Outputs.Select(OutputToJson).ToArray<JsonNode?>());
        }
        return json;
    }

    private static JsonObject OutputToJson(NotebookOutput output)
    {
        var json = new JsonObject { ["output_type"] = output.OutputType };
        switch (output)
        {
            case StreamOutput stream:
                json["name"] = stream.Name;
                json["text"] = Lines(stream.Text);
                break;
            case DisplayDataOutput display:
                json["data"] = BundleToJson(display.Data);
                json["metadata"] = display.Metadata.DeepClone();
                break;
            case ExecuteResultOutput result:
                json["data"] = BundleToJson(result.Data);
                json["execution_count"] = result.ExecutionCount;
                json["metadata"] = result.Metadata.DeepClone();
                break;
            case ErrorOutput error:
                json["ename"] = error.EName;
                json["evalue"] = error.EValue;
                json["traceback"] = new JsonArray(error.Traceback.Select(line => (JsonNode?)line).ToArray());
                break;
            default:
                throw new ArgumentException($"Unknown output type {output.GetType().Name}.", nameof(output));
        }
        return json;
    }

    private static JsonObject BundleToJson(MimeBundle bundle)
    {
        var json = new JsonObject();
        foreach (var (mimeType, value) in bundle)
            json[mimeType] = MimeBundle.IsJsonMimeType(mimeType) ? JsonNode.Parse(value)
                : IsStoredAsLines(mimeType) ? Lines(value)
                : JsonValue.Create(value);
        return json;
    }

    /// <summary>
    /// Jupyter splits text representations into lines (text/*, SVG, JavaScript) but keeps base64 payloads such as
    /// image/png as one string, and nbformat's schema insists on that.
    /// </summary>
    private static bool IsStoredAsLines(string mimeType) =>
        mimeType.StartsWith("text/", StringComparison.Ordinal) || mimeType is "image/svg+xml" or "application/javascript";

    /// <summary>Splits text into lines that keep their '\n', as Jupyter stores multi-line strings.</summary>
    internal static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..next]);
            start = next;
        }
        return lines;
    }
}
