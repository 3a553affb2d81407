namespace Generative.Notebook;

/// <summary>The MIME types the library's displayable values produce.</summary>
public static class MimeTypes
{
    /// <summary>HTML, shown by VS Code, the course site and most notebook viewers.</summary>
    public const string Html = "text/html";

    /// <summary>Plain text, the fallback every viewer can show.</summary>
    public const string PlainText = "text/plain";

    /// <summary>An SVG drawing, stored as markup.</summary>
    public const string Svg = "image/svg+xml";

    /// <summary>A PNG image, stored in base64.</summary>
    public const string Png = "image/png";
}
