using System.Collections.Concurrent;
using System.Reflection;

namespace Generative.Notebook;

/// <summary>
/// Formats a value into representations by MIME type by the convention .NET Interactive uses, through reflection
/// only, so it works for any library that follows it: a type (or a base type or interface) carries an attribute named
/// <c>TypeFormatterSourceAttribute</c> whose constructor argument is a formatter source type; an instance of that type
/// returns formatters from <c>CreateTypeFormatters()</c>; each formatter has <c>string MimeType</c>, <c>Type Type</c>
/// and <c>bool Format(object, TextWriter)</c>. Values without the attribute get text/plain from
/// <see cref="PlainTextFormatter"/>, as does any value whose formatters produced no text/plain. Plotly.NET and XPlot
/// charts are formatted as the course figure they describe (<see cref="ForeignCharts"/>).
/// </summary>
/// <remarks>
/// Shared as source with the course runner, like <see cref="PlainTextFormatter"/>: the runner stores a notebook's
/// outputs with it and <c>NotebookConsole</c> prints with it, so both show a value the same way.
/// </remarks>
internal static class FormatterConvention
{
    /// <summary>The attribute's simple name; matched by name because every library defines its own copy.</summary>
    public const string AttributeName = "TypeFormatterSourceAttribute";

    /// <summary>The fallback every value has.</summary>
    public const string PlainText = "text/plain";

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<object>> FormattersByType = new();

    /// <summary>
    /// The representations of <paramref name="value"/> in the MIME types that <paramref name="wanted"/> accepts (all when
    /// null), in the order its formatters give them, with text/plain last when no formatter wrote it; so a caller that only
    /// needs text/plain does not pay for drawing a figure.
    /// </summary>
    /// <param name="value">The value to format.</param>
    /// <param name="wanted">Which MIME types to produce; null for all.</param>
    /// <param name="libraryCandidates">Assembly paths the notebook referenced: where to find the course library for drawing a
    /// Plotly.NET or XPlot chart before the notebook loaded it (<see cref="ForeignCharts"/>).</param>
    /// <exception cref="InvalidOperationException">A formatter source or formatter does not follow the convention.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Format(object? value, Func<string, bool>? wanted = null, IEnumerable<string>? libraryCandidates = null)
    {
        var representations = new List<KeyValuePair<string, string>>();
        // A Plotly.NET or XPlot chart is shown as the course figure it describes, with the course's SVG and plotly.js HTML.
        value = ForeignCharts.ToCourseFigure(value, libraryCandidates) ?? value;
        if (value is not null)
        {
            foreach (var formatter in FormattersByType.GetOrAdd(value.GetType(), CreateFormatters))
            {
                var formatterType = formatter.GetType();
                var mimeType = formatterType.GetProperty("MimeType")?.GetValue(formatter) as string
                    ?? throw NotConvention(value.GetType(), $"formatter {formatterType.FullName} has no string MimeType property");
                if (representations.Exists(entry => entry.Key == mimeType) || wanted?.Invoke(mimeType) == false) continue;
                if (formatterType.GetProperty("Type")?.GetValue(formatter) is Type handledType && !handledType.IsInstanceOfType(value)) continue;
                var format = formatterType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                    .FirstOrDefault(method => method.Name == "Format" && method.GetParameters() is [_, { ParameterType: var writerType }] && writerType == typeof(TextWriter))
                    ?? throw NotConvention(value.GetType(), $"formatter {formatterType.FullName} has no Format(object, TextWriter) method");
                using var writer = new StringWriter { NewLine = "\n" };
                object? handled;
                try
                {
                    handled = format.Invoke(formatter, [value, writer]);
                }
                catch (TargetInvocationException exception) when (exception.InnerException is not null)
                {
                    // Surface the formatter's own exception, not reflection's wrapper.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
                    throw;
                }
                if (handled is not false) representations.Add(new(mimeType, writer.ToString()));
            }
        }
        if (!representations.Exists(entry => entry.Key == PlainText) && wanted?.Invoke(PlainText) != false)
            representations.Add(new(PlainText, PlainTextFormatter.Format(value)));
        return representations;
    }

    /// <summary>The text/plain form of <paramref name="value"/>: what a notebook stores as its text/plain output.</summary>
    public static string FormatPlainText(object? value) => Format(value, mimeType => mimeType == PlainText).Single().Value;

    /// <summary>The formatters the convention attaches to <paramref name="type"/>; empty when none.</summary>
    private static IReadOnlyList<object> CreateFormatters(Type type)
    {
        var sourceType = FindFormatterSourceType(type);
        if (sourceType is null) return [];
        var source = Activator.CreateInstance(sourceType, nonPublic: true)
            ?? throw NotConvention(type, $"formatter source {sourceType.FullName} could not be created");
        var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw NotConvention(type, $"formatter source {sourceType.FullName} has no CreateTypeFormatters() method");
        var formatters = create.Invoke(source, null) as System.Collections.IEnumerable
            ?? throw NotConvention(type, $"{sourceType.FullName}.CreateTypeFormatters() returned no sequence");
        return formatters.Cast<object>().ToList();
    }

    /// <summary>The formatter source named by the attribute on the type, its base types, or its interfaces.</summary>
    private static Type? FindFormatterSourceType(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
            if (FromAttribute(current) is { } sourceType) return sourceType;
        return type.GetInterfaces().Select(FromAttribute).FirstOrDefault(sourceType => sourceType is not null);
    }

    private static Type? FromAttribute(Type type) =>
        type.GetCustomAttributesData()
            .Where(attribute => attribute.AttributeType.Name == AttributeName)
            .Select(attribute => attribute.ConstructorArguments.FirstOrDefault().Value as Type)
            .FirstOrDefault(sourceType => sourceType is not null);

    private static InvalidOperationException NotConvention(Type valueType, string problem) =>
        new($"Cannot format a {valueType.FullName}: its {AttributeName} convention is broken ({problem}).");
}
