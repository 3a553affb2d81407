using Generative.Tensors;

namespace Generative.Models;

/// <summary>Class labels as the networks of conditional models read them.</summary>
internal static class ClassLabels
{
    /// <summary>One row per label with a 1 in the label's column: shape (count, classes).</summary>
    /// <exception cref="ArgumentException">There are not <paramref name="count"/> labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label lies outside [0, classes).</exception>
    public static Tensor OneHot(IReadOnlyList<int> labels, int classes, int count, string owner)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != count)
        {
            throw new ArgumentException($"{owner}: {labels.Count} labels for {count} examples; give one label per example.", nameof(labels));
        }
        var values = new float[count * classes];
        for (var n = 0; n < count; n++)
        {
            if ((uint)labels[n] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[n], $"{owner}: label {n} is {labels[n]}, outside [0, {classes}).");
            }
            values[n * classes + labels[n]] = 1;
        }
        return Tensor.FromArray(values, count, classes);
    }
}
