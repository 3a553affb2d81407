namespace Course.Execution;

/// <summary>Which engine executes a notebook's cells (<c>--kernel</c>).</summary>
public enum NotebookKernel
{
    /// <summary>The course's own runner (<see cref="NotebookSession"/>, Roslyn scripting in this process): fast, and what
    /// the stored outputs are made with.</summary>
    Course,

    /// <summary>.NET Interactive's own CSharpKernel, the one VS Code's Polyglot Notebooks extension runs, in a process of
    /// its own (<see cref="Interactive.InteractiveKernelSession"/>).</summary>
    DotnetInteractive,
}

/// <summary>The names of <see cref="NotebookKernel"/> on the command line.</summary>
public static class NotebookKernelNames
{
    /// <summary>The course runner's own engine, the default.</summary>
    public const string Course = "course";

    /// <summary>.NET Interactive's CSharpKernel.</summary>
    public const string DotnetInteractive = "dotnet-interactive";

    /// <summary>The kernel named <paramref name="name"/>, or null for an unknown name.</summary>
    public static NotebookKernel? Parse(string name) => name switch
    {
        Course => NotebookKernel.Course,
        DotnetInteractive => NotebookKernel.DotnetInteractive,
        _ => null,
    };

    /// <summary>The command-line name of <paramref name="kernel"/>.</summary>
    public static string NameOf(NotebookKernel kernel) => kernel == NotebookKernel.DotnetInteractive ? DotnetInteractive : Course;
}
