using Generative.Tensors;

namespace Generative.Tests.Tensors;

/// <summary>
/// Gradient-table rows for the layer ops (Linear, Conv2d, ConvTranspose2d, BatchNorm, LayerNorm, Dropout, Embedding,
/// LstmCell), each against a direct double-precision loop written from the op's definition; spliced into
/// <see cref="OpCase.Table"/>.
/// </summary>
internal static class LayerOpCases
{
    internal const float Eps = 1e-5f;

    private static (int[], InputDomain) N(params int[] shape) => (shape, InputDomain.Normal);

    private static (int[], InputDomain) P(params int[] shape) => (shape, InputDomain.Positive);

    // Fixed running statistics for eval-mode batch norm (constants, not inputs).
    internal static readonly float[] RunningMean = [0.3f, -0.2f, 0.1f];
    internal static readonly float[] RunningVar = [0.8f, 1.5f, 0.6f];

    internal static readonly float[] TokenIds = [2, 0, 3, 2, 2, 1];

    internal static readonly OpCase[] All =
    [
        // y = x Wᵀ + b, against the double-precision matrix product of the definition.
        OpCase.Of("Linear with bias", [N(3, 4), N(5, 4), N(5)],
            x => Tensor.Linear(x[0], x[1], x[2]), r => Ref.MatMul(r[0], r[1].Transpose(0, 1)) + r[2]),
        OpCase.Of("Linear without bias", [N(3, 4), N(5, 4)],
            x => Tensor.Linear(x[0], x[1]), r => Ref.MatMul(r[0], r[1].Transpose(0, 1))),
        OpCase.Of("Linear of transposed input view", [N(4, 3), N(5, 4), N(5)],
            x => Tensor.Linear(x[0].T, x[1], x[2]), r => Ref.MatMul(r[0].Transpose(0, 1), r[1].Transpose(0, 1)) + r[2]),
        OpCase.Of("Linear of transposed weight view", [N(3, 4), N(4, 5), N(5)],
            x => Tensor.Linear(x[0], x[1].T, x[2]), r => Ref.MatMul(r[0], r[1]) + r[2]),
        OpCase.Of("Linear one row", [N(1, 4), N(2, 4), N(2)],
            x => Tensor.Linear(x[0], x[1], x[2]), r => Ref.MatMul(r[0], r[1].Transpose(0, 1)) + r[2]),

        OpCase.Of("Conv2d stride 1 padding 1", [N(2, 2, 5, 5), N(3, 2, 3, 3), N(3)],
            x => Tensor.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), r => Conv2d(r[0], r[1], r[2], 1, 1)),
        OpCase.Of("Conv2d stride 2 padding 1 no bias", [N(2, 1, 6, 6), N(2, 1, 4, 4)],
            x => Tensor.Conv2d(x[0], x[1], stride: 2, padding: 1), r => Conv2d(r[0], r[1], null, 2, 1)),
        OpCase.Of("Conv2d 1x3 kernel stride 2", [N(1, 2, 4, 5), N(2, 2, 1, 3), N(2)],
            x => Tensor.Conv2d(x[0], x[1], x[2], stride: 2), r => Conv2d(r[0], r[1], r[2], 2, 0)),
        OpCase.Of("Conv2d of permuted view", [N(2, 4, 4, 1), N(2, 1, 3, 3), N(2)],
            x => Tensor.Conv2d(x[0].Permute(0, 3, 1, 2), x[1], x[2], padding: 1), r => Conv2d(r[0].Permute(0, 3, 1, 2), r[1], r[2], 1, 1)),
        OpCase.Of("ConvTranspose2d stride 2 padding 1", [N(2, 3, 3, 3), N(3, 2, 4, 4), N(2)],
            x => Tensor.ConvTranspose2d(x[0], x[1], x[2], stride: 2, padding: 1), r => ConvTranspose2d(r[0], r[1], r[2], 2, 1, 0)),
        OpCase.Of("ConvTranspose2d output padding", [N(1, 2, 3, 3), N(2, 2, 3, 3)],
            x => Tensor.ConvTranspose2d(x[0], x[1], stride: 2, padding: 1, outputPadding: 1), r => ConvTranspose2d(r[0], r[1], null, 2, 1, 1)),
        OpCase.Of("ConvTranspose2d stride 1", [N(2, 2, 3, 4), N(2, 3, 2, 3), N(3)],
            x => Tensor.ConvTranspose2d(x[0], x[1], x[2]), r => ConvTranspose2d(r[0], r[1], r[2], 1, 0, 0)),

        OpCase.Of("BatchNorm training (N, C)", [N(5, 3), P(3), N(3)],
            x => Tensor.BatchNorm(x[0], Tensor.Zeros(3), Tensor.Ones(3), x[1], x[2], training: true),
            r => BatchNorm(r[0], r[1], r[2], null, null)),
        OpCase.Of("BatchNorm training (N, C, H, W)", [N(2, 3, 2, 3), P(3), N(3)],
            x => Tensor.BatchNorm(x[0], Tensor.Zeros(3), Tensor.Ones(3), x[1], x[2], training: true),
            r => BatchNorm(r[0], r[1], r[2], null, null)),
        OpCase.Of("BatchNorm training without affine or running stats", [N(4, 2, 3)],
            x => Tensor.BatchNorm(x[0], null, null, training: true),
            r => BatchNorm(r[0], null, null, null, null)),
        OpCase.Of("BatchNorm eval (running stats)", [N(2, 3, 2, 2), P(3), N(3)],
            x => Tensor.BatchNorm(x[0], Tensor.FromArray(RunningMean), Tensor.FromArray(RunningVar), x[1], x[2], training: false),
            r => BatchNorm(r[0], r[1], r[2], RunningMean, RunningVar)),
        OpCase.Of("LayerNorm last dim", [N(3, 5), P(5), N(5)],
            x => Tensor.LayerNorm(x[0], [5], x[1], x[2]), r => LayerNorm(r[0], 5, r[1], r[2])),
        OpCase.Of("LayerNorm last two dims no affine", [N(2, 3, 4)],
            x => Tensor.LayerNorm(x[0], [3, 4]), r => LayerNorm(r[0], 12, null, null)),
        OpCase.Of("LayerNorm of transposed view", [N(4, 3), P(4), N(4)],
            x => Tensor.LayerNorm(x[0].T, [4], x[1], x[2]), r => LayerNorm(r[0].Transpose(0, 1), 4, r[1], r[2])),

        OpCase.Of("Dropout p 0.4 seeded", [N(4, 5)],
            x => x[0].Dropout(0.4f, training: true, new Generator(7)), r => Dropout(r[0], 0.4f, 7)),
        OpCase.Of("Embedding repeated ids", [N(4, 3)],
            x => Tensor.Embedding(Tensor.FromArray(TokenIds, 2, 3), x[0]),
            r => r[0].IndexSelect(0, Array.ConvertAll(TokenIds, v => (int)v)).Reshape(2, 3, 3)),
        OpCase.Of("LstmCell (hidden and cell)", [N(2, 3), N(2, 2), N(2, 2), N(8, 3), N(8, 2), N(8), N(8)],
            x =>
            {
                var (h, c) = Tensor.LstmCell(x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
                return Tensor.Cat([h, c], 1);
            },
            r => Lstm(r)),
    ];

    /// <summary>out[n, o, y, x] = b[o] + sum over c, i, j of x[n, c, y s - p + i, x s - p + j] w[o, c, i, j], zero outside.</summary>
    private static Ref Conv2d(Ref x, Ref w, Ref? b, int stride, int padding)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * padding - kh) / stride + 1, ow = (wd + 2 * padding - kw) / stride + 1;
        var result = Ref.Zeros(n, o, oh, ow);
        for (var s = 0; s < n; s++)
        for (var q = 0; q < o; q++)
        for (var y = 0; y < oh; y++)
        for (var z = 0; z < ow; z++)
        {
            var sum = b?.Data[q] ?? 0;
            for (var ch = 0; ch < c; ch++)
            for (var i = 0; i < kh; i++)
            for (var j = 0; j < kw; j++)
            {
                int iy = y * stride - padding + i, ix = z * stride - padding + j;
                if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                {
                    sum += x.At(s, ch, iy, ix) * w.At(q, ch, i, j);
                }
            }
            result.Data[Ref.Ravel([s, q, y, z], result.Shape)] = sum;
        }
        return result;
    }

    /// <summary>out[n, o, y s - p + i, x s - p + j] += x[n, c, y, x] w[c, o, i, j], then + b[o]; cropped to the output size.</summary>
    private static Ref ConvTranspose2d(Ref x, Ref w, Ref? b, int stride, int padding, int outputPadding)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h - 1) * stride - 2 * padding + kh + outputPadding, ow = (wd - 1) * stride - 2 * padding + kw + outputPadding;
        var result = Ref.Zeros(n, o, oh, ow);
        for (var s = 0; s < n; s++)
        for (var ch = 0; ch < c; ch++)
        for (var y = 0; y < h; y++)
        for (var z = 0; z < wd; z++)
        for (var q = 0; q < o; q++)
        for (var i = 0; i < kh; i++)
        for (var j = 0; j < kw; j++)
        {
            int oy = y * stride - padding + i, ox = z * stride - padding + j;
            if (oy >= 0 && oy < oh && ox >= 0 && ox < ow)
            {
                result.Data[Ref.Ravel([s, q, oy, ox], result.Shape)] += x.At(s, ch, y, z) * w.At(ch, q, i, j);
            }
        }
        if (b is not null)
        {
            for (var flat = 0; flat < result.Data.Length; flat++)
            {
                result.Data[flat] += b.Data[Ref.Unravel(flat, result.Shape)[1]];
            }
        }
        return result;
    }

    /// <summary>Per channel (dimension 1): batch mean and biased variance over all other dimensions, or the given
    /// running statistics; y = gamma (x - mean) / sqrt(var + eps) + beta.</summary>
    private static Ref BatchNorm(Ref x, Ref? gamma, Ref? beta, float[]? runningMean, float[]? runningVar)
    {
        var channels = x.Shape[1];
        var groups = Enumerable.Range(0, channels).Select(_ => new List<double>()).ToArray();
        for (var flat = 0; flat < x.Data.Length; flat++)
        {
            groups[Ref.Unravel(flat, x.Shape)[1]].Add(x.Data[flat]);
        }
        var mean = new double[channels];
        var variance = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            mean[c] = runningMean?[c] ?? groups[c].Average();
            variance[c] = runningVar?[c] ?? groups[c].Sum(v => (v - mean[c]) * (v - mean[c])) / groups[c].Count;
        }
        var result = new double[x.Data.Length];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var c = Ref.Unravel(flat, x.Shape)[1];
            var normalized = (x.Data[flat] - mean[c]) / Math.Sqrt(variance[c] + Eps);
            result[flat] = normalized * (gamma?.Data[c] ?? 1) + (beta?.Data[c] ?? 0);
        }
        return new Ref(result, x.Shape);
    }

    /// <summary>Each consecutive group of <paramref name="size"/> values normalised by its own mean and biased
    /// variance, then scaled and shifted elementwise.</summary>
    private static Ref LayerNorm(Ref x, int size, Ref? gamma, Ref? beta)
    {
        var result = new double[x.Data.Length];
        for (var start = 0; start < result.Length; start += size)
        {
            var row = x.Data.Skip(start).Take(size).ToArray();
            var mean = row.Average();
            var variance = row.Sum(v => (v - mean) * (v - mean)) / size;
            for (var i = 0; i < size; i++)
            {
                result[start + i] = (row[i] - mean) / Math.Sqrt(variance + Eps) * (gamma?.Data[i] ?? 1) + (beta?.Data[i] ?? 0);
            }
        }
        return new Ref(result, x.Shape);
    }

    /// <summary>x times the mask the op documents: element i kept (and scaled by 1 / (1 - p)) when the i-th
    /// Bernoulli(1 - p) draw of a fresh generator with <paramref name="seed"/> is true.</summary>
    private static Ref Dropout(Ref x, double p, ulong seed)
    {
        var generator = new Generator(seed);
        var scale = (double)(float)(1.0 / (1 - p));
        return new Ref(x.Data.Select(v => generator.Bernoulli(1 - p) ? v * scale : 0).ToArray(), x.Shape);
    }

    /// <summary>PyTorch's LSTMCell equations, gates i, f, g, o; returns [h', c'] side by side.</summary>
    private static Ref Lstm(Ref[] r)
    {
        var (x, h, c, wIh, wHh, bIh, bHh) = (r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
        var gates = Ref.MatMul(x, wIh.Transpose(0, 1)) + Ref.MatMul(h, wHh.Transpose(0, 1)) + bIh + bHh;
        var hidden = h.Shape[1];
        Ref Gate(int k) => gates.Slice(1, k * hidden, (k + 1) * hidden);
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var nextCell = Gate(1).Map(Sigmoid) * c + Gate(0).Map(Sigmoid) * Gate(2).Map(Math.Tanh);
        var nextHidden = Gate(3).Map(Sigmoid) * nextCell.Map(Math.Tanh);
        return Ref.Cat([nextHidden, nextCell], 1);
    }
}
