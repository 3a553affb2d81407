using System.Globalization;

namespace Generative.Weights;

/// <summary>Command-line lists of per-model counts, <c>nade=20,made=10</c>, as the <c>--epochs</c> option of the weights
/// tool and the benchmarks' <c>--steps</c> and <c>--epochs</c> options take them.</summary>
public static class NamedCounts
{
    /// <summary>Adds each name=count of <paramref name="value"/> to <paramref name="into"/>; returns an error naming the
    /// option and the bad item, or null when every item is a name and a count of at least 1.</summary>
    public static string? Parse(string option, string value, IDictionary<string, int> into)
    {
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = item.Split('=');
            if (pair.Length != 2 || pair[0].Length == 0 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                return $"{option}: '{item}' is not name=count with a count of at least 1, e.g. nade=20";
            }
            into[pair[0]] = count;
        }
        return null;
    }
}
