namespace Generative.Notebook;

/// <summary>
/// Creates the text/html and text/plain formatters of a displayable type <typeparamref name="T"/>, and its
/// image formatter when <typeparamref name="T"/> is an <see cref="ISvgDisplayable"/> or <see cref="IPngDisplayable"/>.
/// </summary>
/// <remarks>
/// The method name, its parameterless signature and the element type <see cref="object"/> are what the
/// .NET Interactive convention looks up by reflection; do not rename them.
/// </remarks>
public sealed class DisplayFormatterSource<T> where T : IDisplayable
{
    /// <summary>One formatter per MIME type that <typeparamref name="T"/> supports.</summary>
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new DisplayFormatter(typeof(T), MimeTypes.Html, value => ((IDisplayable)value).ToHtml());
        if (typeof(ISvgDisplayable).IsAssignableFrom(typeof(T)))
            yield return new DisplayFormatter(typeof(T), MimeTypes.Svg, value => ((ISvgDisplayable)value).ToSvg());
        if (typeof(IPngDisplayable).IsAssignableFrom(typeof(T)))
            yield return new DisplayFormatter(typeof(T), MimeTypes.Png, value => Convert.ToBase64String(((IPngDisplayable)value).ToPng()));
        yield return new DisplayFormatter(typeof(T), MimeTypes.PlainText, value => ((IDisplayable)value).ToPlainText());
    }
}
