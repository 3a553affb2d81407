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
/// <c>{"protocolError": "..."}</c>.
/// </summary>
internal static class HostProtocol
{
    /// <summary>Compact, one line per message; non-ASCII text kept as is.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
