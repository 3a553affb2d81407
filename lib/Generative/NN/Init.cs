using Generative.Tensors;

namespace Generative.NN;

/// <summary>How <see cref="Init.KaimingUniform"/> and <see cref="Init.KaimingNormal"/> pick the fan.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass (fan_in).</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass (fan_out).</summary>
    FanOut,
}

/// <summary>The nonlinearity an initialisation is scaled for (PyTorch's <c>calculate_gain</c> names).</summary>
public enum Nonlinearity
{
    /// <summary>Identity or a convolution without activation: gain 1.</summary>
    Linear,

    /// <summary>Gain 1.</summary>
    Sigmoid,

    /// <summary>Gain 5/3.</summary>
    Tanh,

    /// <summary>Gain sqrt(2).</summary>
    Relu,

    /// <summary>Gain sqrt(2 / (1 + a^2)) for negative slope a.</summary>
    LeakyRelu,
}

/// <summary>
/// Weight initialisations (PyTorch's <c>torch.nn.init</c>), each filling a tensor in place from a seeded
/// <see cref="Generator"/>, in row-major order, and returning it. They write under <see cref="Tensor.NoGrad"/>, so they
/// work on parameters.
/// </summary>
/// <remarks>For a weight of shape (out, in, k1, k2, ...), fan_in = in * k1 * k2 * ... and fan_out = out * k1 * k2 * ...
/// (PyTorch's <c>_calculate_fan_in_and_fan_out</c>). Modules constructed without a generator draw from
/// <see cref="DefaultGenerator"/>, which <see cref="ManualSeed"/> resets (PyTorch's <c>torch.manual_seed</c>).</remarks>
public static class Init
{
    /// <summary>The generator modules use when none is given; reset it with <see cref="ManualSeed"/>.</summary>
    public static Generator DefaultGenerator { get; set; } = new(0);

    /// <summary>Replaces <see cref="DefaultGenerator"/> with a fresh generator seeded with <paramref name="seed"/>.</summary>
    public static void ManualSeed(ulong seed) => DefaultGenerator = new Generator(seed);

    /// <summary>The recommended gain for <paramref name="nonlinearity"/> (PyTorch's <c>calculate_gain</c>);
    /// <paramref name="negativeSlope"/> is LeakyRelu's slope.</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2),
        _ => Math.Sqrt(2 / (1 + negativeSlope * negativeSlope)),
    };

    /// <summary>fan_in and fan_out of a weight of shape (out, in, *receptive field).</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than two dimensions.</exception>
    public static (int FanIn, int FanOut) CalculateFans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
        {
            throw new ArgumentException(
                $"Init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape {Tensor.FormatShape(tensor.Shape)}).", nameof(tensor));
        }
        var receptive = 1;
        for (var d = 2; d < tensor.Rank; d++)
        {
            receptive *= tensor.Size(d);
        }
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    /// <summary>He et al. (2015) uniform: U(-bound, bound), bound = gain * sqrt(3 / fan) with
    /// gain = <see cref="CalculateGain"/>(<paramref name="nonlinearity"/>, <paramref name="a"/>).</summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        var bound = Math.Sqrt(3) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>He et al. (2015) normal: N(0, std^2), std = gain / sqrt(fan).</summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        var std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        return Normal(tensor, 0, std, generator);
    }

    /// <summary>Glorot and Bengio (2010) uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Glorot and Bengio (2010) normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>Fills with U(<paramref name="low"/>, <paramref name="high"/>) draws (<see cref="Generator.Uniform"/>).</summary>
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        return Fill(tensor, _ => (float)g.Uniform(low, high));
    }

    /// <summary>Fills with N(<paramref name="mean"/>, <paramref name="std"/>^2) draws (<see cref="Generator.Normal"/>).</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        var g = generator ?? DefaultGenerator;
        return Fill(tensor, _ => (float)g.Normal(mean, std));
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, float value) => Fill(tensor, _ => value);

    /// <summary>Fills with 0.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Fills with 1.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    private static int Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = CalculateFans(tensor);
        var fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0)
        {
            throw new ArgumentException($"Init: the fan of a tensor of shape {Tensor.FormatShape(tensor.Shape)} is 0.", nameof(tensor));
        }
        return fan;
    }

    private static Tensor Fill(Tensor tensor, Func<int, float> value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var values = new float[tensor.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(i);
        }
        using (Tensor.NoGrad())
        {
            if (tensor.IsContiguous)
            {
                values.CopyTo(tensor.AsSpan());
            }
            else
            {
                tensor.CopyFrom(Tensor.FromArray(values, tensor.Shape));
            }
        }
        return tensor;
    }
}
