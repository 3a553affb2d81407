namespace Generative.Notebook;

/// <summary>
/// A value that knows how to show itself in a notebook as HTML and as plain text.
/// Annotate the implementing type with
/// <c>[TypeFormatterSource(typeof(DisplayFormatterSource&lt;T&gt;), PreferredMimeTypes = [MimeTypes.Html, MimeTypes.PlainText])]</c>.
/// </summary>
public interface IDisplayable
{
    /// <summary>The HTML fragment shown in rich viewers; must not depend on scripts to be readable.</summary>
    string ToHtml();

    /// <summary>A short plain-text rendering, used where HTML cannot be shown.</summary>
    string ToPlainText();
}
