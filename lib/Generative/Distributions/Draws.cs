namespace Generative.Distributions;

/// <summary>Loops shared by the samplers.</summary>
internal static class Draws
{
    /// <summary><paramref name="count"/> results of <paramref name="draw"/>, in order: the body of
    /// <c>Sample(count, generator)</c> for the vector-valued distributions.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static T[] Repeat<T>(int count, Func<T> draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var samples = new T[count];
        for (var s = 0; s < count; s++)
        {
            samples[s] = draw();
        }
        return samples;
    }
}
