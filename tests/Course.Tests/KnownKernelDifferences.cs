using Course.Checking;
using Course.Execution;
using Course.Execution.Interactive;
using Course.Notebooks;

namespace Course.Tests;

/// <summary>
/// A documented way in which .NET Interactive's kernel shows a notebook output differently from what the course runner
/// stored, and why that is accepted. Keyed narrowly: <see cref="Reconcile"/> replaces, in the kernel's outputs of one
/// cell, only the outputs it recognises as this difference by what they hold, with what the runner stores for them;
/// the cell is then compared again by <c>check</c>'s rules, so everything else in it must still match.
/// </summary>
/// <param name="Name">A short name for reports.</param>
/// <param name="Reason">Why the two differ and why the difference is accepted.</param>
/// <param name="Reconcile">(stored outputs, kernel outputs) -> the kernel outputs with this difference undone; the same
/// list when it does not apply. Both lists have consecutive streams merged (<see cref="OutputComparer.MergeStreams"/>).</param>
internal sealed record KnownKernelDifference(string Name, string Reason,
    Func<IReadOnlyList<NotebookOutput>, IReadOnlyList<NotebookOutput>, IReadOnlyList<NotebookOutput>> Reconcile);

/// <summary>
/// The differences between the course runner and .NET Interactive's kernel that the lesson conformance test accepts
/// (<see cref="InteractiveKernelConformanceTests"/>). The differences that were fixed, and those that lessons avoid,
/// are listed and pinned in <see cref="InteractiveKernelProbeTests"/>.
/// </summary>
internal static class KnownKernelDifferences
{
    /// <summary>A Plotly.NET chart: the course stores its own static figure, the kernel Plotly.NET's interactive one.</summary>
    public static readonly KnownKernelDifference PlotlyChart = new(
        "Plotly.NET chart",
        "The runner renders a Plotly.NET GenericChart through the course's own figure renderer (static SVG in the stored " +
        "notebook and on the site); in the real kernel Plotly.NET.Interactive's formatter shows it as plotly.js HTML, " +
        "as VS Code does. Covered only where the kernel's output is Plotly.NET's chart HTML (it calls Plotly.newPlot) " +
        "and the stored output at the same place is the course's figure (it has an image/svg+xml representation).",
        (stored, fresh) => fresh.Select((output, index) =>
            index < stored.Count && Bundle(stored[index]) is { } storedBundle && storedBundle.ContainsKey("image/svg+xml")
            && Bundle(output) is { } freshBundle && freshBundle.TryGetValue("text/html", out var html)
            && html.Contains("Plotly.newPlot", StringComparison.Ordinal)
                ? stored[index]
                : output).ToList());

    /// <summary><c>display(x)</c> then <c>.Update(y)</c>: the kernel of the served version shows y as a second output.</summary>
    public static readonly KnownKernelDifference DisplayUpdateAppended = new(
        "display(x).Update(y) shown as a new output",
        "In Microsoft.DotNet.Interactive.Formatting 1.0.0-beta.26120.1, display(x) announces one DisplayedValue and returns " +
        "another (System.DisplayExtensions.Display), so the handle's Update(y) names a display that was never shown: VS Code " +
        "then adds y as a new output after x instead of replacing x (later updates replace that new output). The runner " +
        "stores what .NET Interactive means: x replaced by the last update. Covered only for outputs the host marks as such " +
        "an update, each taking the place of the display it follows in its cell.",
        (stored, fresh) =>
        {
            var reconciled = fresh.ToList();
            for (var index = 0; index < reconciled.Count; index++)
            {
                if (!HostOutputs.IsUpdateOfUnknownDisplay(reconciled[index])) continue;
                var original = reconciled.FindLastIndex(index, output => output is DisplayDataOutput && !HostOutputs.IsUpdateOfUnknownDisplay(output));
                if (original < 0) continue;
                reconciled[original] = reconciled[index];
                reconciled.RemoveAt(index);
                index--;
            }
            return reconciled;
        });

    /// <summary>The kernel's report of the packages a <c>#r "nuget:"</c> cell installed.</summary>
    public static readonly KnownKernelDifference InstalledPackagesReport = new(
        "Installed Packages report",
        "After a cell with #r \"nuget:\" lines, .NET Interactive's NuGet directive displays an HTML list headed " +
        "'Installed Packages' (every package restored so far, with its version): a report of the kernel's work, not of " +
        "the lesson's code, whose HTML is the kernel version's own. The runner restores the same packages and shows " +
        "nothing for it (a failed restore is the cell's error in both). Covered only for display outputs whose whole " +
        "content is that list, where the stored cell has no such output.",
        (stored, fresh) => stored.Any(IsInstalledPackagesReport) ? fresh : fresh.Where(output => !IsInstalledPackagesReport(output)).ToList());

    private static bool IsInstalledPackagesReport(NotebookOutput output) =>
        output is DisplayDataOutput { Data: var data } && data.Keys.SequenceEqual(["text/html"])
        && data["text/html"] is var html && html.StartsWith("<div><div></div><div></div><div><strong>Installed Packages</strong><ul>", StringComparison.Ordinal)
        && html.EndsWith("</ul></div></div>", StringComparison.Ordinal);

    /// <summary>All accepted differences.</summary>
    public static IReadOnlyList<KnownKernelDifference> All { get; } = [InstalledPackagesReport, PlotlyChart, DisplayUpdateAppended];

    /// <summary>
    /// The mismatches of one cell that no known difference explains (compared again after every difference reconciled
    /// the kernel's outputs), and the names of the differences that applied.
    /// </summary>
    public static (IReadOnlyList<OutputMismatch> Unexplained, IReadOnlyList<string> Applied) Sort(
        CellLocation cell, NotebookCell storedCell, NotebookCell freshCell)
    {
        var stored = OutputComparer.MergeStreams(storedCell.Outputs);
        IReadOnlyList<NotebookOutput> fresh = OutputComparer.MergeStreams(freshCell.Outputs);
        var applied = new List<string>();
        foreach (var difference in All)
        {
            var reconciled = difference.Reconcile(stored, fresh);
            if (reconciled.SequenceEqual(fresh)) continue;
            applied.Add(difference.Name);
            fresh = reconciled;
        }
        return (OutputComparer.Compare(cell, stored, fresh), applied);
    }

    private static MimeBundle? Bundle(NotebookOutput output) => output switch
    {
        DisplayDataOutput display => display.Data,
        ExecuteResultOutput result => result.Data,
        _ => null,
    };
}
