using Generative.NN;
using Generative.Tensors;

namespace Generative.Tests.NN;

/// <summary>One input of a loss row: its shape, how its values are drawn, and whether the loss is differentiated
/// with respect to it (targets and class indices are not, unless the row says so).</summary>
internal sealed record LossInput(int[] Shape, Func<Generator, double> Draw, bool Differentiable);

/// <summary>One loss under test: its inputs, the engine computation and an independent double-precision formula.</summary>
internal sealed record LossCase(LossInput[] Inputs, Func<Tensor[], Tensor> Engine, Func<double[][], double[]> Reference);

/// <summary>
/// The table of losses (every loss and reduction of <see cref="Losses"/>), each with a double-precision reference;
/// driven by LossesGradientTests against finite differences and by TorchReference.Tests against TorchSharp.
/// </summary>
internal static class LossCases
{
    private static readonly Func<Generator, double> Normal = g => g.Normal();
    private static readonly Func<Generator, double> Wide = g => g.Normal(0, 12);
    private static readonly Func<Generator, double> Unit = g => g.Uniform(0, 1);
    private static readonly Func<Generator, double> Probability = g => g.Uniform(0.05, 0.95);
    private static readonly Func<Generator, double> Binary = g => g.Bernoulli(0.5) ? 1 : 0;

    private static LossInput Diff(Func<Generator, double> draw, params int[] shape) => new(shape, draw, true);

    private static LossInput Const(Func<Generator, double> draw, params int[] shape) => new(shape, draw, false);

    private static double[] Reduce(double[] values, Reduction reduction) => reduction switch
    {
        Reduction.Mean => [values.Average()],
        Reduction.Sum => [values.Sum()],
        _ => values,
    };

    /// <summary>log σ(z), by cases so neither branch overflows (a different formula from the engine's).</summary>
    internal static double LogSigmoid(double z) => z >= 0 ? -Math.Log(1 + Math.Exp(-z)) : z - Math.Log(1 + Math.Exp(z));

    /// <summary>−[y log σ(z) + (1 − y) log(1 − σ(z))], using 1 − σ(z) = σ(−z).</summary>
    internal static double BceWithLogits(double z, double y) => -(y * LogSigmoid(z) + (1 - y) * LogSigmoid(-z));

    internal static double Bce(double p, double y) => -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));

    /// <summary>log softmax of each row of a (rows, classes) row-major matrix.</summary>
    internal static double[] LogSoftmaxRows(double[] logits, int classes)
    {
        var result = new double[logits.Length];
        for (var r = 0; r < logits.Length / classes; r++)
        {
            var row = logits.Skip(r * classes).Take(classes).ToArray();
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (var c = 0; c < classes; c++)
            {
                result[r * classes + c] = row[c] - logSum;
            }
        }
        return result;
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, 1)) summed over the last dimension: ½ Σ (σ² + μ² − 1 − ln σ²).</summary>
    internal static double[] GaussianKLRows(double[] mean, double[] logVar, int dims) =>
        Enumerable.Range(0, mean.Length / dims)
            .Select(r => 0.5 * Enumerable.Range(r * dims, dims)
                .Sum(j => Math.Exp(logVar[j]) + mean[j] * mean[j] - 1 - logVar[j]))
            .ToArray();

    private static double[] Transpose(double[] data, int rows, int columns)
    {
        var result = new double[data.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                result[j * rows + i] = data[i * columns + j];
            }
        }
        return result;
    }

    internal static readonly int[] ClassTargets = [2, 0, 4, 4];

    // (N, C, H, W) = (2, 3, 2, 2): class index per pixel, in (N, H, W) order.
    internal static readonly float[] PixelTargets = [0, 2, 1, 1, 2, 2, 0, 1];

    internal static readonly Dictionary<string, LossCase> Cases = new()
    {
        ["BCEWithLogits mean"] = new([Diff(Normal, 3, 4), Const(Unit, 3, 4)],
            x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1]),
            r => Reduce(r[0].Zip(r[1], BceWithLogits).ToArray(), Reduction.Mean)),
        ["BCEWithLogits sum, wide logits, binary targets"] = new([Diff(Wide, 4, 5), Const(Binary, 4, 5)],
            x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1], Reduction.Sum),
            r => Reduce(r[0].Zip(r[1], BceWithLogits).ToArray(), Reduction.Sum)),
        ["BCEWithLogits none, targets differentiable"] = new([Diff(Normal, 2, 3), Diff(Unit, 2, 3)],
            x => Losses.BinaryCrossEntropyWithLogits(x[0], x[1], Reduction.None),
            r => r[0].Zip(r[1], BceWithLogits).ToArray()),
        ["BCEWithLogits none, transposed logits"] = new([Diff(Normal, 4, 3), Const(Unit, 3, 4)],
            x => Losses.BinaryCrossEntropyWithLogits(x[0].T, x[1], Reduction.None),
            r => Transpose(r[0], 4, 3).Zip(r[1], BceWithLogits).ToArray()),

        ["BCE mean"] = new([Diff(Probability, 3, 4), Const(Unit, 3, 4)],
            x => Losses.BinaryCrossEntropy(x[0], x[1]),
            r => Reduce(r[0].Zip(r[1], Bce).ToArray(), Reduction.Mean)),
        ["BCE sum, binary targets"] = new([Diff(Probability, 5, 2), Const(Binary, 5, 2)],
            x => Losses.BinaryCrossEntropy(x[0], x[1], Reduction.Sum),
            r => Reduce(r[0].Zip(r[1], Bce).ToArray(), Reduction.Sum)),
        ["BCE none, targets differentiable"] = new([Diff(Probability, 2, 3), Diff(Unit, 2, 3)],
            x => Losses.BinaryCrossEntropy(x[0], x[1], Reduction.None),
            r => r[0].Zip(r[1], Bce).ToArray()),

        ["CrossEntropy mean, int targets"] = new([Diff(Normal, 4, 5)],
            x => Losses.CrossEntropy(x[0], ClassTargets),
            r => Reduce(ClassTargets.Select((t, n) => -LogSoftmaxRows(r[0], 5)[n * 5 + t]).ToArray(), Reduction.Mean)),
        ["CrossEntropy none, wide logits"] = new([Diff(Wide, 4, 5)],
            x => Losses.CrossEntropy(x[0], ClassTargets, Reduction.None),
            r => ClassTargets.Select((t, n) => -LogSoftmaxRows(r[0], 5)[n * 5 + t]).ToArray()),
        ["CrossEntropy sum, (N, C, H, W) with tensor targets"] = new([Diff(Normal, 2, 3, 2, 2)],
            x => Losses.CrossEntropy(x[0], Tensor.FromArray(PixelTargets, 2, 2, 2), Reduction.Sum),
            r =>
            {
                // Rows of the (N*H*W, C) matrix: logits[n, c, h, w] at row (n, h, w), column c.
                var rows = new double[8 * 3];
                for (var n = 0; n < 2; n++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        for (var p = 0; p < 4; p++)
                        {
                            rows[(n * 4 + p) * 3 + c] = r[0][(n * 3 + c) * 4 + p];
                        }
                    }
                }
                var logProbs = LogSoftmaxRows(rows, 3);
                return Reduce(PixelTargets.Select((t, row) => -logProbs[row * 3 + (int)t]).ToArray(), Reduction.Sum);
            }),
        ["CrossEntropy mean, soft targets differentiable"] = new([Diff(Normal, 3, 4), Diff(Unit, 3, 4)],
            x => Losses.CrossEntropy(x[0], x[1]),
            r =>
            {
                var logProbs = LogSoftmaxRows(r[0], 4);
                return Reduce(Enumerable.Range(0, 3).Select(n => -Enumerable.Range(0, 4).Sum(c => r[1][n * 4 + c] * logProbs[n * 4 + c])).ToArray(),
                    Reduction.Mean);
            }),

        ["NllLoss mean"] = new([Diff(Normal, 4, 5)],
            x => Losses.NllLoss(x[0], ClassTargets),
            r => Reduce(ClassTargets.Select((t, n) => -r[0][n * 5 + t]).ToArray(), Reduction.Mean)),
        ["NllLoss none, tensor targets"] = new([Diff(Normal, 4, 5)],
            x => Losses.NllLoss(x[0], Tensor.FromArray(ClassTargets.Select(t => (float)t).ToArray()), Reduction.None),
            r => ClassTargets.Select((t, n) => -r[0][n * 5 + t]).ToArray()),

        ["MseLoss mean"] = new([Diff(Normal, 3, 4), Const(Normal, 3, 4)],
            x => Losses.MseLoss(x[0], x[1]),
            r => Reduce(r[0].Zip(r[1], (a, b) => (a - b) * (a - b)).ToArray(), Reduction.Mean)),
        ["MseLoss sum, both differentiable"] = new([Diff(Normal, 5), Diff(Normal, 5)],
            x => Losses.MseLoss(x[0], x[1], Reduction.Sum),
            r => Reduce(r[0].Zip(r[1], (a, b) => (a - b) * (a - b)).ToArray(), Reduction.Sum)),
        ["MseLoss none"] = new([Diff(Normal, 2, 3), Const(Normal, 2, 3)],
            x => Losses.MseLoss(x[0], x[1], Reduction.None),
            r => r[0].Zip(r[1], (a, b) => (a - b) * (a - b)).ToArray()),

        ["GaussianKL mean"] = new([Diff(Normal, 3, 4), Diff(Normal, 3, 4)],
            x => Losses.GaussianKL(x[0], x[1]),
            r => Reduce(GaussianKLRows(r[0], r[1], 4), Reduction.Mean)),
        ["GaussianKL none"] = new([Diff(Normal, 3, 4), Diff(Normal, 3, 4)],
            x => Losses.GaussianKL(x[0], x[1], Reduction.None),
            r => GaussianKLRows(r[0], r[1], 4)),
        ["GaussianKL sum, (B, T, D)"] = new([Diff(Normal, 2, 2, 3), Diff(Normal, 2, 2, 3)],
            x => Losses.GaussianKL(x[0], x[1], Reduction.Sum),
            r => Reduce(GaussianKLRows(r[0], r[1], 3), Reduction.Sum)),
    };

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Cases.Keys)
            {
                data.Add(name);
            }
            return data;
        }
    }

    /// <summary>The row's inputs, drawn by a generator seeded from the name, so that every suite driven by this table
    /// (LossesGradientTests against finite differences, TorchReference.Tests against TorchSharp) sees the same values;
    /// only the differentiable ones require gradients, and only when asked.</summary>
    internal static Tensor[] MakeInputs(string name, bool requiresGrad)
    {
        var generator = new Generator((ulong)name.Length * 131 + 7);
        return Cases[name].Inputs.Select(input =>
        {
            var values = new float[input.Shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)input.Draw(generator);
            }
            var tensor = Tensor.FromArray(values, input.Shape);
            tensor.RequiresGrad = requiresGrad && input.Differentiable;
            return tensor;
        }).ToArray();
    }
}
