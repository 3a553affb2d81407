using Course.Notebooks;
using Course.Site;
using static Course.Tests.SiteTestNotebooks;

namespace Course.Tests;

/// <summary>Reading a lesson's first cell (title, one-line summary, learning goals), for the course's lessons and for cells that break the layout.</summary>
public sealed class LessonIntroTests
{
    private static NotebookDocument FirstCell(string source) =>
        PolyglotMetadata.NewDocument([Markdown("title", source), Code("setup", "1")]);

    private static string ProblemOf(string source)
    {
        Assert.False(LessonIntro.TryRead(FirstCell(source), out _, out var problem));
        return problem ?? "";
    }

    [Fact]
    public void Read_CourseLayout_ReturnsNumberTitleSummaryAndGoals()
    {
        var intro = LessonIntro.Read(FirstCell(IntroSource("Lesson 04 · Autoregressive models", "Keep the chain rule, learn $p(x_i \\mid x_{<i})$.", "build **FVSBN**;", "sample.")));
        Assert.Equal(4, intro.Number);
        Assert.Equal("Lesson 04 · Autoregressive models", intro.Title);
        Assert.Equal("Keep the chain rule, learn $p(x_i \\mid x_{<i})$.", intro.Summary);
        Assert.Equal(new[] { "build **FVSBN**;", "sample." }, intro.Goals);
    }

    [Fact]
    public void Read_SummaryOverTwoLinesAndGoalOnAnIndentedLine_JoinsEachIntoOne()
    {
        var source = "# Lesson 02 · Counts\n\n**In one line.** Models built\nfrom counts.\n\n**Learning goals.** After this lesson you can\n\n- fit a model\n  by counting;\n- sample it.\n\n**You need** lesson 01.";
        var intro = LessonIntro.Read(FirstCell(source));
        Assert.Equal("Models built from counts.", intro.Summary);
        Assert.Equal(new[] { "fit a model by counting;", "sample it." }, intro.Goals);
    }

    [Fact]
    public void Read_GoalsFollowedByProse_StopsAtTheEndOfTheList()
    {
        var intro = LessonIntro.Read(FirstCell(IntroSource("Lesson 03 · Autograd", "Gradients.", "check a gradient.") + "\n> Run the cells from top to bottom.\n- not a goal"));
        Assert.Equal(new[] { "check a gradient." }, intro.Goals);
    }

    [Fact]
    public void Read_TitleWithoutLessonNumber_ThrowsNamingTheTitle()
    {
        var error = Assert.Throws<FormatException>(() => LessonIntro.Read(FirstCell(IntroSource("Autoregressive models", "Chain rule.", "build FVSBN."))));
        Assert.Contains("'# Lesson NN · Title'", error.Message);
        Assert.Contains("# Autoregressive models", error.Message);
    }

    [Fact]
    public void TryRead_SummaryNotRightAfterTitle_SaysSo() =>
        Assert.Contains("does not start with '**In one line.**'",
            ProblemOf("# Lesson 05 · Pixels\n\nProse first.\n\n**In one line.** Late.\n\n**Learning goals.** After this lesson you can\n\n- see.\n"));

    [Fact]
    public void TryRead_EmptySummary_SaysSo() =>
        Assert.Contains("paragraph is empty", ProblemOf("# Lesson 05 · Pixels\n\n**In one line.** \n\n**Learning goals.** After this lesson you can\n\n- see.\n"));

    [Fact]
    public void TryRead_NoGoalsLead_SaysSo() =>
        Assert.Contains("no line '**Learning goals.** After this lesson you can'",
            ProblemOf("# Lesson 05 · Pixels\n\n**In one line.** Pixels.\n\n**You will learn to**\n- see.\n"));

    [Fact]
    public void TryRead_GoalsLeadWithoutList_SaysSo() =>
        Assert.Contains("no '- ' list follows", ProblemOf("# Lesson 05 · Pixels\n\n**In one line.** Pixels.\n\n**Learning goals.** After this lesson you can\n\n1. see.\n"));

    [Fact]
    public void TryRead_EmptyGoalItem_SaysWhichOne() =>
        Assert.Contains("learning goal 2 is empty", ProblemOf(IntroSource("Lesson 05 · Pixels", "Pixels.", "see;", ";", "draw.")));

    [Fact]
    public void TryRead_FirstCellIsCode_SaysSo()
    {
        var document = PolyglotMetadata.NewDocument([Code("setup", "1"), Markdown("title", IntroSource("Lesson 01 · A", "B.", "c."))]);
        Assert.False(LessonIntro.TryRead(document, out _, out var problem));
        Assert.Contains("not a markdown cell", problem);
    }

    private static List<string> CourseNotebookNames() =>
        [.. Directory.EnumerateFiles(TestFolders.NotebooksFolder, "*.ipynb").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> CourseNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (var name in CourseNotebookNames()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CourseNotebooks))]
    public void Read_CourseNotebook_HasNumberedTitleSummaryAndGoals(string fileName)
    {
        var intro = LessonIntro.Read(NotebookReader.Read(Path.Combine(TestFolders.NotebooksFolder, fileName)));
        Assert.Equal(int.Parse(fileName[..2]), intro.Number);
        Assert.DoesNotContain('\n', intro.Summary);
        Assert.NotEmpty(intro.Goals);
        // One sentence in the list: every goal but the last ends with ';', the last with '.'.
        Assert.All(intro.Goals.SkipLast(1), goal => Assert.EndsWith(";", goal));
        Assert.EndsWith(".", intro.Goals[^1]);
    }

    [Fact]
    public void CourseNotebooks_Folder_HoldsEveryLesson()
    {
        // Guards the theory above against an empty or moved folder, which would make it pass without reading anything.
        var count = CourseNotebookNames().Count;
        Assert.True(count >= 13, $"{TestFolders.NotebooksFolder} holds {count} notebooks");
    }
}
