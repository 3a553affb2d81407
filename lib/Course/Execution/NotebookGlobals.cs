namespace Course.Execution;

/// <summary>
/// The globals object of a notebook's script state: its public members are in scope in every
/// cell, as the Polyglot C# kernel's helpers are. Member names follow that kernel
/// (<c>display</c>, lowercase) so a notebook runs unchanged in VS Code.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly Action<object?> _display;

    internal NotebookGlobals(Action<object?> display) => _display = display;

    /// <summary>Shows <paramref name="value"/> as a display_data output of the running cell.</summary>
    public void display(object? value) => _display(value);
}
