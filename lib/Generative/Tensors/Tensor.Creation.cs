namespace Generative.Tensors;

// Factory functions, named after torch.zeros, torch.ones, torch.full, torch.arange, torch.tensor, torch.rand,
// torch.randn and torch.bernoulli. Every random one takes the course's seeded Generator, so a notebook cell draws the
// same numbers on every machine.
public sealed partial class Tensor
{
    /// <summary>A tensor of <paramref name="shape"/> filled with 0.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[CheckedCount(shape)], (int[])shape.Clone());

    /// <summary>A tensor of <paramref name="shape"/> filled with 1.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var data = new float[CheckedCount(shape)];
        data.AsSpan().Fill(value);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Zeros shaped like <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like._shape);

    /// <summary>Ones shaped like <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like._shape);

    /// <summary>The 1-D tensor [0, 1, ..., <paramref name="end"/> - 1].</summary>
    public static Tensor Arange(int end) => Arange(0, end, 1);

    /// <summary>
    /// The 1-D tensor [start, start + step, ...] of the values below <paramref name="end"/> (above it when
    /// <paramref name="step"/> is negative); element i is start + i * step, computed in double and rounded once.
    /// </summary>
    public static Tensor Arange(double start, double end, double step = 1)
    {
        if (step == 0 || !double.IsFinite(step) || !double.IsFinite(start) || !double.IsFinite(end))
        {
            throw new ArgumentException($"Arange: start ({start}), end ({end}) and a non-zero step ({step}) must be finite.", nameof(step));
        }
        var count = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = (float)(start + i * step);
        }
        return new Tensor(data, [count]);
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> in row-major order, of <paramref name="shape"/>
    /// (1-D of data's length when no shape is given).</summary>
    /// <exception cref="ArgumentException">The shape's element count differs from the data's length.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length == 0)
        {
            shape = [data.Length];
        }
        if (CheckedCount(shape) != data.Length)
        {
            throw new ArgumentException(
                $"FromArray: shape {FormatShape(shape)} holds {ShapeCount(shape)} elements but the data has {data.Length}.", nameof(shape));
        }
        return new Tensor((float[])data.Clone(), (int[])shape.Clone());
    }

    /// <summary>A 2-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.GetLength(0), columns = data.GetLength(1);
        var copy = new float[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                copy[i * columns + j] = data[i, j];
            }
        }
        return new Tensor(copy, [rows, columns]);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>Uniform samples in [0, 1) (each <see cref="Generator.NextSingle"/>), in row-major order.</summary>
    public static Tensor Rand(int[] shape, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var data = new float[CheckedCount(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = generator.NextSingle();
        }
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Standard normal samples (each <see cref="Generator.Normal"/> rounded to float), in row-major order.</summary>
    public static Tensor Randn(int[] shape, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var data = new float[CheckedCount(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)generator.Normal();
        }
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>1 with probability probs[i], else 0, drawn independently per element in row-major order
    /// (<see cref="Generator.Bernoulli"/>). Not differentiable: the result does not require gradients.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A probability lies outside [0, 1].</exception>
    public static Tensor Bernoulli(Tensor probs, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(probs);
        ArgumentNullException.ThrowIfNull(generator);
        var p = probs.ContiguousSpan();
        var data = new float[p.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = generator.Bernoulli(p[i]) ? 1f : 0f;
        }
        return new Tensor(data, (int[])probs._shape.Clone());
    }

    private static int CheckedCount(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var size in shape)
        {
            if (size < 0)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} has a negative size.", nameof(shape));
            }
        }
        return ShapeCount(shape);
    }
}
