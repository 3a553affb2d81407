namespace Generative.Notebook;

// A displayable value may also have a plain image form. Rich viewers (VS Code, the course site) show its HTML;
// viewers that strip HTML, such as a code host's notebook preview, still show a stored image output, so a plot
// or a sample grid stays visible there too.

/// <summary>A displayable value that can draw itself as SVG; stored as an extra <c>image/svg+xml</c> output.</summary>
public interface ISvgDisplayable : IDisplayable
{
    /// <summary>A standalone SVG document.</summary>
    string ToSvg();
}

/// <summary>A displayable value that can draw itself as a PNG; stored as an extra <c>image/png</c> output.</summary>
public interface IPngDisplayable : IDisplayable
{
    /// <summary>The PNG file's bytes.</summary>
    byte[] ToPng();
}
