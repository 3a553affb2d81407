using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks;

namespace Course.Execution.Interactive;

/// <summary>The outputs of a cell as the .NET Interactive host sends them (nbformat's shape, every data value a string).</summary>
internal static class HostOutputs
{
    /// <summary>The outputs in <paramref name="outputs"/>; an execute_result gets <paramref name="executionCount"/>.</summary>
    /// <exception cref="JsonException">An output is not one of nbformat's four kinds.</exception>
    public static IReadOnlyList<NotebookOutput> Read(JsonArray outputs, int executionCount) =>
        outputs.Select(node => Read(node!.AsObject(), executionCount)).ToList();

    private static NotebookOutput Read(JsonObject output, int executionCount) => Text(output, "output_type") switch
    {
        "stream" => new StreamOutput(Text(output, "name"), Text(output, "text")),
        "display_data" => new DisplayDataOutput(Bundle(output), []),
        "execute_result" => new ExecuteResultOutput(executionCount, Bundle(output), []),
        "error" => new ErrorOutput(Text(output, "ename"), Text(output, "evalue"),
            (output["traceback"] as JsonArray ?? []).Select(line => line!.GetValue<string>()).ToList()),
        var other => throw new JsonException($"unknown output_type '{other}'"),
    };

    private static MimeBundle Bundle(JsonObject output) =>
        new((output["data"] as JsonObject ?? []).Select(entry => new KeyValuePair<string, string>(entry.Key, entry.Value!.GetValue<string>())));

    private static string Text(JsonObject output, string key) =>
        output[key]?.GetValue<string>() ?? throw new JsonException($"an output has no \"{key}\"");
}
