using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Notebooks;

namespace Course.Execution.Interactive;

/// <summary>The outputs of a cell as the .NET Interactive host sends them (nbformat's shape, every data value a string).</summary>
public static class HostOutputs
{
    /// <summary>Metadata flag the host puts on a display_data output that shows an update of a display the kernel never
    /// announced: .NET Interactive 1.0.0-beta.26120.1's display(x) returns a handle other than the one it showed, so
    /// x.Update(y) appears as a new output, as in VS Code (lib/InteractiveHost/PolyglotKernel.cs).</summary>
    public const string UpdateOfUnknownDisplay = "dotnet_interactive_update_of_unknown_display";

    /// <summary>True for an output the host marked with <see cref="UpdateOfUnknownDisplay"/>.</summary>
    public static bool IsUpdateOfUnknownDisplay(NotebookOutput output) =>
        output is DisplayDataOutput { Metadata: var metadata } && metadata[UpdateOfUnknownDisplay] is JsonValue flag && flag.TryGetValue<bool>(out var set) && set;

    /// <summary>The outputs in <paramref name="outputs"/>; an execute_result gets <paramref name="executionCount"/>.</summary>
    /// <exception cref="JsonException">An output is not one of nbformat's four kinds.</exception>
    internal static IReadOnlyList<NotebookOutput> Read(JsonArray outputs, int executionCount) =>
        outputs.Select(node => Read(node!.AsObject(), executionCount)).ToList();

    private static NotebookOutput Read(JsonObject output, int executionCount) => Text(output, "output_type") switch
    {
        "stream" => new StreamOutput(Text(output, "name"), Text(output, "text")),
        "display_data" => new DisplayDataOutput(Bundle(output), output["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : []),
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
