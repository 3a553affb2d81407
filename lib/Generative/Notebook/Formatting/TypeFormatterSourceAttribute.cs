namespace Generative.Notebook;

/// <summary>
/// Names the class that creates display formatters for the annotated type.
/// </summary>
/// <remarks>
/// .NET Interactive (the Polyglot C# kernel in VS Code) finds formatters <em>by convention</em>: it looks for any
/// attribute whose type is named <c>TypeFormatterSourceAttribute</c>, reads its <see cref="FormatterSourceType"/>
/// and <see cref="PreferredMimeTypes"/> properties by name, creates the source with its parameterless constructor
/// and calls its public <c>CreateTypeFormatters()</c>. Declaring our own attribute with that name means the library
/// needs no reference to Microsoft.DotNet.Interactive, and the course runner uses the same convention by reflection,
/// so a value looks the same in VS Code, in the stored notebook and on the site.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = true)]
public sealed class TypeFormatterSourceAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="formatterSourceType">A type with a public parameterless constructor and a public
    /// <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c> method.</param>
    public TypeFormatterSourceAttribute(Type formatterSourceType)
    {
        ArgumentNullException.ThrowIfNull(formatterSourceType);
        FormatterSourceType = formatterSourceType;
    }

    /// <summary>The type whose instance creates the formatters.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>
    /// The MIME types a kernel should emit for the annotated type, most preferred first. Without it the Polyglot
    /// kernel emits only its default (text/html); with both, a notebook stores a plain-text fallback too.
    /// </summary>
    public string[]? PreferredMimeTypes { get; set; }
}
