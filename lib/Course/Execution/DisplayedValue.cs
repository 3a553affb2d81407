namespace Course.Execution;

/// <summary>
/// What <c>display(value)</c> returns, as in the Polyglot C# kernel: a handle on that display_data
/// output whose <see cref="Update"/> replaces what it shows (Jupyter's update_display_data), e.g. a
/// progress line rewritten every epoch. The stored notebook keeps only the last value, in the cell
/// where the display was created, because nbformat 4 has no stored update outputs.
/// </summary>
public sealed class DisplayedValue
{
    private readonly CellOutputSink _sink;
    private readonly int _index;

    internal DisplayedValue(CellOutputSink sink, int index) => (_sink, _index) = (sink, index);

    /// <summary>Shows <paramref name="value"/> in place of what this display showed, formatted as <c>display</c> formats it.</summary>
    public void Update(object? value) => _sink.Replace(_index, ConventionFormatter.Format(value));
}
