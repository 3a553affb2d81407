using System.Text.Json;

namespace Generative.Plotting;

/// <summary>One bar per category: plotly.js trace type <c>bar</c> on a category x axis.</summary>
public sealed class BarTrace : Trace
{
    /// <summary>Creates bars of height <paramref name="values"/> labelled by <paramref name="categories"/>.</summary>
    /// <exception cref="ArgumentException">The two sequences differ in length.</exception>
    public BarTrace(IEnumerable<string> categories, IEnumerable<double> values)
    {
        Categories = categories?.ToArray() ?? throw new ArgumentNullException(nameof(categories));
        Values = values?.ToArray() ?? throw new ArgumentNullException(nameof(values));
        if (Categories.Count != Values.Count)
        {
            throw new ArgumentException($"{Categories.Count} categories but {Values.Count} values; they must pair up.", nameof(values));
        }
    }

    /// <inheritdoc/>
    public override string Type => "bar";

    /// <summary>The category labels along x.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The bar heights.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>CSS colour of the bars; null takes the trace's palette colour.</summary>
    public string? Color { get; set; }

    private protected override void WriteProperties(Utf8JsonWriter json)
    {
        json.WriteStartArray("x");
        foreach (var category in Categories)
        {
            json.WriteStringValue(category);
        }
        json.WriteEndArray();
        JsonValues.WriteNumbers(json, "y", Values);
        if (Color is not null)
        {
            json.WriteStartObject("marker");
            json.WriteString("color", Color);
            json.WriteEndObject();
        }
    }

    internal override string Describe() => $"{base.Describe()} with {Categories.Count} bars";
}
