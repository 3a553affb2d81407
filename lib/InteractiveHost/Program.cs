using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InteractiveHost;

// Runs one notebook's C# cells in .NET Interactive's CSharpKernel, one request per line on stdin, one response per line
// on stdout (protocol: HostProtocol). Started by the course runner (lib/Course/Execution/Interactive) with the
// notebook's folder as its only argument; ends when stdin closes.
if (args is not [var notebookFolder] || !Directory.Exists(notebookFolder))
{
    Console.Error.WriteLine("usage: course-interactive-host <notebook folder>  (an existing folder: relative #r paths resolve from it)");
    return 2;
}

// The protocol owns the process's real stdin and stdout. The kernel redirects Console.Out and Console.Error to
// capture a running cell's writes; whatever writes to Console outside a cell (a task still running after its cell)
// goes to stderr, which the runner only reads for diagnostics, and a cell that reads Console.In sees an empty input
// instead of the protocol.
var requests = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
var responses = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
Console.SetOut(Console.Error);
Console.SetIn(TextReader.Null);

// As VS Code starts the kernel for a notebook: in the notebook's folder (CSharpKernel resolves #r from the current
// directory). Cells run with the invariant culture, as in the course runner, so stored numbers do not depend on the
// machine's locale.
Directory.SetCurrentDirectory(Path.GetFullPath(notebookFolder));
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

using var kernel = new PolyglotKernel();
while (await requests.ReadLineAsync() is { } line)
{
    if (line.Length == 0) continue;
    JsonObject response;
    try
    {
        var request = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty request");
        var cell = request["cell"]?.GetValue<int>() ?? throw new JsonException("no \"cell\"");
        var code = request["code"]?.GetValue<string>() ?? throw new JsonException("no \"code\"");
        response = await kernel.ExecuteAsync(cell, code);
    }
    catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
    {
        response = new JsonObject { ["protocolError"] = $"cannot read the request line: {exception.Message}" };
    }
    await responses.WriteLineAsync(response.ToJsonString(HostProtocol.JsonOptions));
}
return 0;
