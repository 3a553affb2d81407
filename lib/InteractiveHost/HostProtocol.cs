using System.Text.Encodings.Web;
using System.Text.Json;

namespace InteractiveHost;

/// <summary>
/// The line protocol between the course runner and this host. Request, one JSON object per line on stdin:
/// <c>{"cell": N, "code": "..."}</c> (N: the cell's 1-based number in the notebook). Response, one line on stdout per
/// request: <c>{"cell": N, "succeeded": bool, "outputs": [...], "updated": [{"cell": M, "outputs": [...]}]}</c>, where
/// each output is shaped as nbformat's (output_type, name/text, data, ename/evalue/traceback) except that every data
/// value is a string, as the kernel formats it; "updated" (present only when needed) lists earlier cells whose
/// displays this cell updated, with their whole outputs as they are now. A request line that cannot be read gets
/// <c>{"protocolError": "..."}</c>. An output's optional "metadata" object is stored with it.
/// </summary>
internal static class HostProtocol
{
    /// <summary>Metadata flag of a display_data output that shows an update of a display the kernel never announced
    /// (see PolyglotKernel). The course runner reads the same name (Course.Execution.Interactive.HostOutputs).</summary>
    public const string UpdateOfUnknownDisplay = "dotnet_interactive_update_of_unknown_display";

    /// <summary>Compact, one line per message; non-ASCII text kept as is.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
