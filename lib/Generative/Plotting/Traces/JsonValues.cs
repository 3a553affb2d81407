using System.Text.Json;

namespace Generative.Plotting;

/// <summary>JSON helpers shared by the traces.</summary>
internal static class JsonValues
{
    /// <summary>
    /// Writes <paramref name="values"/> as a number array. NaN and infinities become <c>null</c>, which plotly.js
    /// draws as a gap; JSON has no literal for them.
    /// </summary>
    public static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            WriteNumber(json, value);
        }
        json.WriteEndArray();
    }

    /// <summary>Writes one number, or null when it is not finite.</summary>
    public static void WriteNumber(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(Round(value));
        }
        else
        {
            json.WriteNullValue();
        }
    }

    /// <summary>
    /// <paramref name="value"/> to <see cref="SignificantDigits"/> significant digits: a plot cannot show more, and
    /// full round-trip doubles made a stored figure several times larger.
    /// </summary>
    public static double Round(double value) =>
        double.Parse(value.ToString("G" + SignificantDigits, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Digits kept by <see cref="Round"/>.</summary>
    public const int SignificantDigits = 6;

    /// <summary>Writes a matrix as an array of rows, the layout plotly.js expects for <c>z</c>.</summary>
    public static void WriteRows(Utf8JsonWriter json, string name, double[,] matrix)
    {
        json.WriteStartArray(name);
        for (var row = 0; row < matrix.GetLength(0); row++)
        {
            json.WriteStartArray();
            for (var column = 0; column < matrix.GetLength(1); column++)
            {
                WriteNumber(json, matrix[row, column]);
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
