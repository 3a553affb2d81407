using System.Numerics;

namespace Generative;

/// <summary>
/// The course's seeded pseudo-random number generator: xoshiro256** (Blackman and Vigna 2018,
/// https://prng.di.unimi.it/) with its 256-bit state expanded from a 64-bit seed by SplitMix64.
/// </summary>
/// <remarks>
/// Every random thing in the library takes a <see cref="Generator"/> so that a notebook cell is reproducible:
/// the same seed yields the same numbers on every OS and .NET version. Integer outputs are exact by construction;
/// <see cref="NextDouble"/> uses only a shift and a multiplication by a power of two; <see cref="Normal"/> uses only
/// IEEE-exact arithmetic, <see cref="Math.Sqrt"/> (correctly rounded everywhere) and the library's own logarithm.
/// Not thread-safe: give each thread its own generator with <see cref="Fork"/>.
/// </remarks>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;

    // The polar method produces normals in pairs; the second is kept for the next call.
    private double _spareNormal;
    private bool _hasSpareNormal;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        var mixer = new SplitMix64(seed);
        _s0 = mixer.Next();
        _s1 = mixer.Next();
        _s2 = mixer.Next();
        _s3 = mixer.Next();
        // SplitMix64 is a bijection of a counter, so four consecutive outputs are never all zero,
        // the one state xoshiro cannot leave.
    }

    /// <summary>Creates a generator from an explicit 256-bit state (for reference-vector tests).</summary>
    internal Generator(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("The all-zero state is a fixed point of xoshiro256**.", nameof(s0));
        }
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>
    /// Everything that determines this generator's future output: the 256-bit xoshiro state and the spare normal the
    /// polar method keeps between calls. Read it to save a training run (a checkpoint); set it to continue the stream
    /// exactly where it was read (PyTorch's <c>get_state</c>/<c>set_state</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Set to the all-zero state, a fixed point xoshiro256** never leaves.</exception>
    public GeneratorState State
    {
        get => new(_s0, _s1, _s2, _s3, _hasSpareNormal ? _spareNormal : null);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
            {
                throw new ArgumentException("Generator.State: the all-zero state is a fixed point of xoshiro256** and cannot be set.", nameof(value));
            }
            (_s0, _s1, _s2, _s3) = (value.S0, value.S1, value.S2, value.S3);
            (_hasSpareNormal, _spareNormal) = (value.SpareNormal.HasValue, value.SpareNormal ?? 0);
        }
    }

    /// <summary>The next 64 uniformly distributed bits (one xoshiro256** step).</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1): the top 53 bits times 2^-53, so every value is a multiple of 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1): the top 24 bits times 2^-24.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)NextUInt32((uint)maxExclusive);
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive),
                $"maxExclusive ({maxExclusive}) must be greater than minInclusive ({minInclusive}).");
        }
        return (int)(minInclusive + (long)NextUInt32((uint)((long)maxExclusive - minInclusive)));
    }

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>): low + (high - low) u.</summary>
    public double Uniform(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || high < low)
        {
            throw new ArgumentException($"Uniform needs finite low <= high, got low = {low}, high = {high}.", nameof(high));
        }
        return low + (high - low) * NextDouble();
    }

    /// <summary>
    /// A draw from N(<paramref name="mean"/>, <paramref name="std"/>^2), by Marsaglia's polar method:
    /// for (u, v) uniform in the unit disc with s = u^2 + v^2, u sqrt(-2 ln s / s) and v sqrt(-2 ln s / s) are
    /// independent standard normals. Bit-identical on every platform (see the class remarks).
    /// </summary>
    public double Normal(double mean = 0, double std = 1)
    {
        if (!double.IsFinite(mean) || !double.IsFinite(std) || std < 0)
        {
            throw new ArgumentException($"Normal needs a finite mean and a finite std >= 0, got mean = {mean}, std = {std}.", nameof(std));
        }
        return mean + std * StandardNormal();
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public bool Bernoulli(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A Bernoulli probability must lie in [0, 1].");
        }
        // NextDouble() < 1 always, so p = 1 always succeeds and p = 0 never does.
        return NextDouble() < p;
    }

    /// <summary>
    /// An index k drawn with probability probs[k] / sum(probs), by inverting the cumulative sum.
    /// The weights need not sum to one exactly (they are rescaled), but each must be finite and non-negative,
    /// and at least one positive.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="probs"/> is empty, has a negative, NaN or infinite
    /// entry, or sums to zero.</exception>
    public int Categorical(ReadOnlySpan<double> probs)
    {
        var total = ValidateProbs(probs, nameof(probs));
        var target = NextDouble() * total;
        var cumulative = 0.0;
        var lastPositive = 0;
        for (var k = 0; k < probs.Length; k++)
        {
            if (probs[k] == 0)
            {
                continue; // never return an impossible category, even at a rounding boundary
            }
            cumulative += probs[k];
            lastPositive = k;
            if (target < cumulative)
            {
                return k;
            }
        }
        // Rounding can leave the running sum a hair below the total; the draw then belongs to the last category.
        return lastPositive;
    }

    /// <summary>Shuffles <paramref name="items"/> in place; every order is equally likely (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniformly random permutation of 0, 1, ..., <paramref name="count"/> - 1.</summary>
    public int[] Permutation(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var permutation = new int[count];
        for (var i = 0; i < count; i++)
        {
            permutation[i] = i;
        }
        Shuffle(permutation.AsSpan());
        return permutation;
    }

    /// <summary>
    /// A new generator with its own stream, seeded (through SplitMix64) by this generator's next output.
    /// Use it to give a sub-task (a data loader, a second model) randomness that does not shift when the
    /// parent's later use changes. Forking advances this generator by one step.
    /// </summary>
    public Generator Fork() => new(NextUInt64());

    /// <summary>Checks a weight vector and returns its sum.</summary>
    internal static double ValidateProbs(ReadOnlySpan<double> probs, string argumentName)
    {
        if (probs.IsEmpty)
        {
            throw new ArgumentException("Probabilities must contain at least one entry.", argumentName);
        }
        var total = 0.0;
        for (var k = 0; k < probs.Length; k++)
        {
            var p = probs[k];
            if (double.IsNaN(p) || double.IsInfinity(p) || p < 0)
            {
                throw new ArgumentException($"Probability [{k}] is {p}; each must be finite and non-negative.", argumentName);
            }
            total += p;
        }
        if (!(total > 0))
        {
            throw new ArgumentException("Probabilities sum to zero; at least one must be positive.", argumentName);
        }
        if (double.IsInfinity(total))
        {
            throw new ArgumentException("Probabilities sum to infinity.", argumentName);
        }
        return total;
    }

    private uint NextUInt32() => (uint)(NextUInt64() >> 32);

    // Lemire's multiply-shift (2019): the high 32 bits of a 32x32-bit product are uniform in [0, bound) once the
    // few low products that would over-represent some values are rejected.
    private uint NextUInt32(uint bound)
    {
        var product = (ulong)NextUInt32() * bound;
        var low = (uint)product;
        if (low < bound)
        {
            var threshold = (0u - bound) % bound;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * bound;
                low = (uint)product;
            }
        }
        return (uint)(product >> 32);
    }

    private double StandardNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);
        var scale = Math.Sqrt(-2.0 * DeterministicMath.Log(s) / s);
        _spareNormal = v * scale;
        _hasSpareNormal = true;
        return u * scale;
    }
}
