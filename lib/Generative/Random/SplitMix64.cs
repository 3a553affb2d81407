namespace Generative;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014; Vigna's <c>splitmix64.c</c>): a 64-bit state advanced by a fixed odd
/// increment and scrambled by a bijective mixer. Used only to expand one 64-bit seed into the 256-bit state of
/// <see cref="Generator"/>, as the xoshiro authors recommend: nearby seeds (0, 1, 2, ...) give unrelated states.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    /// <summary>Advances the state by the golden-ratio increment and returns the mixed value.</summary>
    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
