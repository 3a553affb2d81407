namespace Generative.Notebook;

/// <summary>
/// Writes values of one type in one MIME type. Its members are the shape .NET Interactive expects of a
/// convention-based formatter: <c>string MimeType</c>, <c>Type Type</c> and <c>bool Format(object, TextWriter)</c>.
/// </summary>
public sealed class DisplayFormatter
{
    private readonly Func<object, string> _render;

    /// <summary>Creates a formatter that renders values of <paramref name="type"/> with <paramref name="render"/>.</summary>
    public DisplayFormatter(Type type, string mimeType, Func<object, string> render)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(mimeType);
        ArgumentNullException.ThrowIfNull(render);
        Type = type;
        MimeType = mimeType;
        _render = render;
    }

    /// <summary>The MIME type this formatter writes, e.g. <c>text/html</c>.</summary>
    public string MimeType { get; }

    /// <summary>The type of value this formatter accepts (derived types included).</summary>
    public Type Type { get; }

    /// <summary>
    /// Writes <paramref name="instance"/> to <paramref name="writer"/>. Returns false, writing nothing,
    /// when the value is not of <see cref="Type"/>, so a kernel can try its next formatter.
    /// </summary>
    public bool Format(object instance, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (instance is null || !Type.IsInstanceOfType(instance))
        {
            return false;
        }
        writer.Write(_render(instance));
        return true;
    }
}
