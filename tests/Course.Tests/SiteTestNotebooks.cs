using System.Text.Json.Nodes;
using Course.Notebooks;
using Course.Site;

namespace Course.Tests;

/// <summary>Small executed notebooks built in memory, for the site tests.</summary>
internal static class SiteTestNotebooks
{
    /// <summary>A notebook that already has outputs, wrapped as if the runner had executed it successfully.</summary>
    public static ExecutedNotebook Executed(string name, params NotebookCell[] cells)
    {
        var document = PolyglotMetadata.NewDocument(cells);
        var runs = cells.Select((cell, index) => (cell, index)).Where(c => c.cell.IsCode)
            .Select(c => new CellRun(c.index, c.index + 1, CellStatus.Succeeded, TimeSpan.Zero)).ToList();
        return new ExecutedNotebook(Path.Combine(Path.GetTempPath(), name + ".ipynb"), document, runs, TimeSpan.Zero);
    }

    public static NotebookCell Markdown(string id, string source) => new() { Id = id, CellType = "markdown", Source = source };

    public static NotebookCell Code(string id, string source, params NotebookOutput[] outputs) =>
        new() { Id = id, CellType = "code", Source = source, Outputs = outputs, ExecutionCount = 1 };

    public static ExecuteResultOutput Result(params (string MimeType, string Value)[] data) =>
        new(1, new MimeBundle(data.Select(d => KeyValuePair.Create(d.MimeType, d.Value))), []);

    /// <summary>The first cell of a lesson in the course's layout: title, one-line summary, learning goals.</summary>
    public static string IntroSource(string title, string summary, params string[] goals) =>
        $"# {title}\n\n{LessonIntro.SummaryLabel} {summary}\n\nSome prose.\n\n{LessonIntro.GoalsLead}\n\n{string.Join("\n", goals.Select(goal => "- " + goal))}\n";

    /// <summary>The course's lessons with their stored outputs, as the site would show them after <c>run</c>.</summary>
    public static IEnumerable<ExecutedNotebook> StoredLessons() =>
        Directory.Exists(TestFolders.NotebooksFolder)
            ? Directory.EnumerateFiles(TestFolders.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).Select(path =>
            {
                var document = NotebookReader.Read(path);
                var runs = document.Cells.Select((cell, index) => (cell, index)).Where(c => c.cell.IsCode)
                    .Select(c => new CellRun(c.index, c.index + 1, CellStatus.Succeeded, TimeSpan.Zero)).ToList();
                return new ExecutedNotebook(path, document, runs, TimeSpan.Zero);
            })
            : [];

    /// <summary>A lesson titled <paramref name="title"/> (e.g. <c>Lesson 01 · First</c>) with a summary, goals, inline and display math, and typical outputs.</summary>
    public static ExecutedNotebook Lesson(string name, string title) => Executed(name,
        Markdown("title", IntroSource(title, "Densities, **exactly**.", "tell $p(x)$ from $p(y \\mid x)$;", "sample a model.")
            + "\nThe density $p_\\theta(x_1, x_2)$ and\n\n$$\n\\log p(x) = \\sum_i \\log p(x_i \\mid x_{<i})\n$$\n"),
        Code("code-1", "Console.WriteLine(\"a < b\");", new StreamOutput("stdout", "a < b\n")),
        Code("code-2", "new Figure()", Result(("text/html", "<div class=\"gen-figure\"><svg width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg></div>"), ("text/plain", "Figure"))),
        Code("code-3", "x", Result(("text/plain", "List<int> <& \"quoted\">"))),
        Code("code-4", "throw", new ErrorOutput("System.Exception", "boom <here>", ["at cell 4, line 1"])));
}
