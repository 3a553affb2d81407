using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// The metadata VS Code's Polyglot extension writes into C# notebooks. <see cref="Apply"/> adds
/// whatever is missing and never overwrites what a notebook already has, so executed notebooks
/// open in VS Code with the C# kernel selected.
/// </summary>
public static class PolyglotMetadata
{
    /// <summary>The kernel name of the only kernel the runner has.</summary>
    public const string KernelName = "csharp";

    /// <summary>Returns <paramref name="document"/> with the Polyglot notebook and code-cell metadata filled in.</summary>
    public static NotebookDocument Apply(NotebookDocument document)
    {
        var metadata = (JsonObject)document.Metadata.DeepClone();
        AddMissing(metadata, "kernelspec", new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        });
        AddMissing(metadata, "language_info", new JsonObject { ["name"] = "polyglot-notebook" });
        AddMissing(metadata, "polyglot_notebook", new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = KernelName,
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = KernelName }),
            },
        });

        var cells = document.Cells.Select(cell =>
        {
            if (!cell.IsCode) return cell;
            var cellMetadata = (JsonObject)cell.Metadata.DeepClone();
            AddMissing(cellMetadata, "dotnet_interactive", new JsonObject { ["language"] = KernelName });
            AddMissing(cellMetadata, "polyglot_notebook", new JsonObject { ["kernelName"] = KernelName });
            return cell with { Metadata = cellMetadata };
        }).ToList();

        return document with { Metadata = metadata, Cells = cells };
    }

    /// <summary>Creates an empty notebook with the Polyglot metadata.</summary>
    public static NotebookDocument NewDocument(IReadOnlyList<NotebookCell> cells) => Apply(new NotebookDocument { Cells = cells });

    /// <summary>Adds <paramref name="key"/> when absent; merges nested objects key by key.</summary>
    private static void AddMissing(JsonObject target, string key, JsonObject defaults)
    {
        if (target[key] is not JsonObject existing)
        {
            if (!target.ContainsKey(key)) target[key] = defaults;
            return;
        }
        foreach (var (defaultKey, defaultValue) in defaults.ToList())
        {
            if (defaultValue is JsonObject nested) AddMissing(existing, defaultKey, (JsonObject)nested.DeepClone());
            else if (!existing.ContainsKey(defaultKey)) existing[defaultKey] = defaultValue?.DeepClone();
        }
    }
}
