namespace Generative.Plotting;

/// <summary>The pixel layouts the PNG encoder writes (8 bits per channel). Values are PNG colour-type codes.</summary>
internal enum PngColor : byte
{
    /// <summary>One byte per pixel, black to white.</summary>
    Gray = 0,

    /// <summary>Red, green, blue bytes per pixel.</summary>
    Rgb = 2,

    /// <summary>Red, green, blue, alpha bytes per pixel.</summary>
    Rgba = 6,
}
