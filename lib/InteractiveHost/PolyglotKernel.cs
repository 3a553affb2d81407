using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace InteractiveHost;

/// <summary>
/// The C# kernel as the dotnet-interactive tool (which VS Code's Polyglot Notebooks extension starts) builds it: a
/// <see cref="CompositeKernel"/> holding a <see cref="CSharpKernel"/> with NuGet restore for <c>#r "nuget: ..."</c>, the
/// kernel helpers (<c>display</c>, <c>HTML</c>, ...), <c>#!who</c> and value sharing, and the notebook front end's
/// formatter defaults (text/html for objects, text/plain for strings), and for restored packages what the tool adds
/// (their kernel extensions) or a learner's machine provides (a TorchSharp that loads: <see cref="RestoredPackages"/>). Left out: the other languages' kernels and the
/// magic commands of packages that are not served (<c>#!time</c>, <c>#!lsmagic</c>, <c>#!markdown</c> live in
/// Microsoft.DotNet.Interactive.Jupyter), and connecting to other kernels.
/// <para>Each cell's kernel events become notebook outputs as VS Code shows them: stdout and stderr writes become stream
/// outputs (consecutive writes merged), a displayed value a display_data output, the cell's value an execute_result, a
/// failure an error output; an update of a displayed value replaces that output where it was created, also in an
/// earlier cell.</para>
/// </summary>
internal sealed class PolyglotKernel : IDisposable
{
    private readonly CompositeKernel _kernel;
    private readonly Dictionary<int, List<JsonObject>> _outputsByCell = [];
    private readonly Dictionary<string, (int Cell, JsonObject Output)> _displaysById = [];

    public PolyglotKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(async (kernel, packages) =>
            {
                if (RestoredPackages.PrepareTorchSharp(packages) is { } torchSharpFailure)
                    throw new InvalidOperationException(torchSharpFailure);
                kernel.AddAssemblyReferences(packages.SelectMany(package => package.AssemblyPaths));
                await RestoredPackages.LoadKernelExtensionsAsync(packages, kernel);
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();
        _kernel = new CompositeKernel { DefaultKernelName = csharp.Name };
        _kernel.Add(csharp, ["c#", "C#"]);
        _kernel.UseImportMagicCommand();
        // What the tool sets up for a notebook front end (KernelBuilder.SetUpFormatters).
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
    }

    /// <summary>Runs one cell; the response holds its outputs and the outputs of earlier cells whose displays it updated.</summary>
    public async Task<JsonObject> ExecuteAsync(int cell, string code)
    {
        var outputs = new List<JsonObject>();
        _outputsByCell[cell] = outputs;
        var updatedCells = new SortedSet<int>();
        var result = await _kernel.SendAsync(new SubmitCode(code));
        var succeeded = true;
        foreach (var kernelEvent in result.Events)
        {
            switch (kernelEvent)
            {
                case StandardOutputValueProduced stdout:
                    AppendStream(outputs, "stdout", PlainText(stdout));
                    break;
                case StandardErrorValueProduced stderr:
                    AppendStream(outputs, "stderr", PlainText(stderr));
                    break;
                case DisplayedValueUpdated update when update.ValueId is { } id && _displaysById.TryGetValue(id, out var shown):
                    shown.Output["data"] = Bundle(update);
                    if (shown.Cell != cell) updatedCells.Add(shown.Cell);
                    break;
                case DisplayedValueUpdated orphan:
                    // An update whose id no display has. In Microsoft.DotNet.Interactive.Formatting 1.0.0-beta.26120.1 that is
                    // every update of display(x): its System.DisplayExtensions.Display announces one DisplayedValue and returns
                    // another, so x.Update(y) names a display that was never shown. VS Code's client then shows the update as
                    // a new output of the running cell (later updates of the same handle replace it), and so does this host.
                    // The output is marked (metadata) so the conformance test can recognise exactly this case.
                    var appended = new JsonObject
                    {
                        ["output_type"] = "display_data",
                        ["data"] = Bundle(orphan),
                        ["metadata"] = new JsonObject { [HostProtocol.UpdateOfUnknownDisplay] = true },
                    };
                    outputs.Add(appended);
                    if (orphan.ValueId is { } orphanId) _displaysById[orphanId] = (cell, appended);
                    break;
                case DisplayedValueProduced display:
                    var displayOutput = new JsonObject { ["output_type"] = "display_data", ["data"] = Bundle(display) };
                    outputs.Add(displayOutput);
                    if (display.ValueId is { } valueId) _displaysById[valueId] = (cell, displayOutput);
                    break;
                case ReturnValueProduced { Value: DisplayedValue }:
                    // A cell ending in display(x) without semicolon returns the display's handle; the kernel reports it as
                    // the cell's value, but the host VS Code talks to (KernelHost) drops that event: x was shown already.
                    break;
                case ReturnValueProduced value:
                    var data = Bundle(value);
                    if (data.Count > 0) outputs.Add(new JsonObject { ["output_type"] = "execute_result", ["data"] = data });
                    break;
                case ErrorProduced error:
                    outputs.Add(Error("Error", error.Message, []));
                    break;
                case CommandFailed failed when failed.Command is SubmitCode:
                    succeeded = false;
                    outputs.Add(FailureOutput(failed));
                    break;
            }
        }
        var response = new JsonObject
        {
            ["cell"] = cell,
            ["succeeded"] = succeeded,
            ["outputs"] = new JsonArray(outputs.Select(output => (JsonNode)output.DeepClone()).ToArray()),
        };
        if (updatedCells.Count > 0)
            response["updated"] = new JsonArray(updatedCells.Select(updated => (JsonNode)new JsonObject
            {
                ["cell"] = updated,
                ["outputs"] = new JsonArray(_outputsByCell[updated].Select(output => (JsonNode)output.DeepClone()).ToArray()),
            }).ToArray());
        return response;
    }

    public void Dispose() => _kernel.Dispose();

    /// <summary>
    /// The error output of a failed cell, named as the course runner names it so the two can be compared: a compile
    /// failure is a "CompilationError" whose value is the kernel's list of diagnostics, a runtime failure is named by the
    /// exception's type and valued by its message; the traceback holds the kernel's full message.
    /// </summary>
    private static JsonObject FailureOutput(CommandFailed failed)
    {
        var traceback = (failed.Message ?? "").Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        return failed.Exception switch
        {
            CodeSubmissionCompilationErrorException => Error("CompilationError", failed.Message ?? "", traceback),
            { } exception => Error(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, traceback),
            null => Error("Error", failed.Message ?? "", traceback),
        };
    }

    private static JsonObject Error(string name, string value, string[] traceback) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode)line).ToArray()),
    };

    private static void AppendStream(List<JsonObject> outputs, string name, string text)
    {
        if (text.Length == 0) return;
        if (outputs.Count > 0 && outputs[^1]["output_type"]?.GetValue<string>() == "stream" && outputs[^1]["name"]?.GetValue<string>() == name)
            outputs[^1]["text"] = outputs[^1]["text"]!.GetValue<string>() + text;
        else
            outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
    }

    private static string PlainText(DisplayEvent written) =>
        written.FormattedValues.FirstOrDefault(value => value.MimeType == PlainTextFormatter.MimeType)?.Value ?? "";

    /// <summary>Mime type -> representation, as VS Code keeps them: each formatted value not marked to suppress.</summary>
    private static JsonObject Bundle(DisplayEvent shown)
    {
        var bundle = new JsonObject();
        foreach (var value in shown.FormattedValues)
            if (!value.SuppressDisplay) bundle[value.MimeType] = value.Value;
        return bundle;
    }
}
