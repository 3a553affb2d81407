namespace Course.Tests;

/// <summary>Theory data: the file names of the VS Code-written fixture notebooks (none when the folder is missing; the theories are then skipped).</summary>
public static class FixtureNotebooks
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        var folder = TestFolders.FixturesFolder;
        if (Directory.Exists(folder))
            foreach (var path in Directory.EnumerateFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(path));
        else data.Add("(fixtures missing)");
        return data;
    }
}
