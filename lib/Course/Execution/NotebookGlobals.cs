namespace Course.Execution;

/// <summary>
/// The globals object of a notebook's script state: its public members are in scope in every
/// cell, as the Polyglot C# kernel's helpers are. Member names follow that kernel
/// (<c>display</c>, lowercase) so a notebook runs unchanged in VS Code.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly Func<object?, DisplayedValue> _display;

    internal NotebookGlobals(Func<object?, DisplayedValue> display) => _display = display;

    /// <summary>
    /// Shows <paramref name="value"/> as a display_data output of the running cell; the returned
    /// handle's <see cref="DisplayedValue.Update"/> replaces it later, from this cell or a later one.
    /// </summary>
    public DisplayedValue display(object? value) => _display(value);
}
