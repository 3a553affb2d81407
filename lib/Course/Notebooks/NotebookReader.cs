using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Reads nbformat 4 notebooks (.ipynb). Cells without an id (nbformat 4.4 and older) get a stable
/// one derived from the notebook's file name and the cell's index, so reading the same file twice
/// gives the same ids. Every error names the file and, where it applies, the cell.
/// </summary>
public static class NotebookReader
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the notebook at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not an nbformat 4 notebook.</exception>
    public static NotebookDocument Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Notebook '{path}' does not exist.", path);
        string text;
        try
        {
            text = StrictUtf8.GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(Path.GetFileName(path), "is not valid UTF-8 (nbformat files are UTF-8 JSON)");
        }
        return Parse(text.StartsWith('\uFEFF') ? text[1..] : text, Path.GetFileName(path));
    }

    /// <summary>Parses notebook JSON; <paramref name="fileName"/> names it in errors and seeds missing cell ids.</summary>
    public static NotebookDocument Parse(string json, string fileName)
    {
        JsonObject root;
        try
        {
            // Duplicate keys are refused while parsing (found by fuzzing: JsonObject would otherwise throw an
            // ArgumentException later, on first access to the object).
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"Notebook '{fileName}' is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"Notebook '{fileName}' is not valid JSON: {exception.Message}", exception);
        }
        catch (ArgumentException exception)
        {
            // A lone UTF-16 surrogate in the text (found by fuzzing): the JSON reader cannot encode it as UTF-8.
            throw new InvalidDataException($"Notebook '{fileName}' is not valid text: {exception.Message}", exception);
        }

        var nbFormat = ReadInt(root, "nbformat", fileName) ?? throw Invalid(fileName, "has no 'nbformat' version");
        if (nbFormat != 4) throw Invalid(fileName, $"is nbformat {nbFormat}; only nbformat 4 is supported");
        var nbFormatMinor = ReadInt(root, "nbformat_minor", fileName) ?? 0;

        if (root["cells"] is not JsonArray cellsJson) throw Invalid(fileName, "has no 'cells' list");
        var cells = new List<NotebookCell>(cellsJson.Count);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < cellsJson.Count; index++)
        {
            if (cellsJson[index] is not JsonObject cellJson) throw Invalid(fileName, $"cell {index + 1} is not a JSON object");
            var cell = ReadCell(cellJson, index, fileName);
            // Duplicate ids make nbformat 4.5 invalid; keep the first, re-derive later ones.
            if (!usedIds.Add(cell.Id)) cell = cell with { Id = StableId(fileName, index) + "-" + index };
            usedIds.Add(cell.Id);
            cells.Add(cell);
        }

        var extra = new JsonObject();
        foreach (var (key, value) in root)
            if (key is not ("nbformat" or "nbformat_minor" or "metadata" or "cells")) extra[key] = value?.DeepClone();

        return new NotebookDocument
        {
            NbFormat = nbFormat,
            NbFormatMinor = nbFormatMinor,
            Metadata = root["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [],
            Cells = cells,
            ExtraProperties = extra,
        };
    }

    /// <summary>
    /// The id given to a cell that has none: the first 16 hex digits of SHA-256("file name\nindex").
    /// Deterministic (never random) so re-running a 4.4 notebook does not churn its ids.
    /// </summary>
    public static string StableId(string fileName, int cellIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{fileName}\n{cellIndex}"));
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    private static NotebookCell ReadCell(JsonObject json, int index, string fileName)
    {
        var where = $"cell {index + 1}";
        var cellType = json["cell_type"]?.GetValue<string>() ?? throw Invalid(fileName, $"{where} has no 'cell_type'");
        var id = json["id"] is JsonValue idValue ? idValue.GetValue<string>() : StableId(fileName, index);

        var extra = new JsonObject();
        foreach (var (key, value) in json)
            if (key is not ("id" or "cell_type" or "source" or "metadata" or "outputs" or "execution_count"))
                extra[key] = value?.DeepClone();

        var outputs = new List<NotebookOutput>();
        if (json["outputs"] is JsonArray outputsJson)
            for (var outputIndex = 0; outputIndex < outputsJson.Count; outputIndex++)
                outputs.Add(ReadOutput(outputsJson[outputIndex] as JsonObject
                    ?? throw Invalid(fileName, $"{where} output {outputIndex + 1} is not a JSON object"), $"{where} output {outputIndex + 1}", fileName));

        return new NotebookCell
        {
            Id = id,
            CellType = cellType,
            Source = JoinText(json["source"], $"{where} source", fileName),
            Metadata = json["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [],
            Outputs = outputs,
            ExecutionCount = ReadInt(json, "execution_count", fileName),
            ExtraProperties = extra,
        };
    }

    private static NotebookOutput ReadOutput(JsonObject json, string where, string fileName)
    {
        var outputType = json["output_type"]?.GetValue<string>() ?? throw Invalid(fileName, $"{where} has no 'output_type'");
        var metadata = json["metadata"] is JsonObject metadataJson ? (JsonObject)metadataJson.DeepClone() : [];
        return outputType switch
        {
            "stream" => new StreamOutput(
                json["name"]?.GetValue<string>() ?? throw Invalid(fileName, $"{where} (stream) has no 'name'"),
                JoinText(json["text"], $"{where} text", fileName)),
            "display_data" => new DisplayDataOutput(ReadBundle(json["data"], where, fileName), metadata),
            "execute_result" => new ExecuteResultOutput(ReadInt(json, "execution_count", fileName), ReadBundle(json["data"], where, fileName), metadata),
            "error" => new ErrorOutput(
                json["ename"]?.GetValue<string>() ?? "",
                json["evalue"]?.GetValue<string>() ?? "",
                (json["traceback"] as JsonArray ?? []).Select(line => line?.GetValue<string>() ?? "").ToList()),
            _ => throw Invalid(fileName, $"{where} has unknown output_type '{outputType}'"),
        };
    }

    private static MimeBundle ReadBundle(JsonNode? data, string where, string fileName)
    {
        if (data is not JsonObject dataJson) throw Invalid(fileName, $"{where} has no 'data' object");
        var bundle = new MimeBundle();
        foreach (var (mimeType, value) in dataJson)
            bundle.Set(mimeType, MimeBundle.IsJsonMimeType(mimeType)
                ? value?.ToJsonString() ?? "null"
                : JoinText(value, $"{where} '{mimeType}'", fileName));
        return bundle;
    }

    /// <summary>nbformat "multiline strings" are either one string or a list of lines to concatenate.</summary>
    private static string JoinText(JsonNode? node, string where, string fileName) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray lines => string.Concat(lines.Select(line => line is JsonValue lineValue && lineValue.TryGetValue<string>(out var lineText)
            ? lineText
            : throw Invalid(fileName, $"{where} has a line that is not a string"))),
        _ => throw Invalid(fileName, $"{where} is neither a string nor a list of strings"),
    };

    private static int? ReadInt(JsonObject json, string key, string fileName) => json[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        _ => throw Invalid(fileName, $"has a non-integer '{key}'"),
    };

    private static InvalidDataException Invalid(string fileName, string problem) =>
        new($"Notebook '{fileName}' {problem}.");
}
