using Generative.Tensors.Kernels;
using System.Numerics.Tensors;

namespace Generative.Tensors;

// Batch and layer normalisation as fused ops (Functions) with hand-derived backward passes. Both normalise groups of
// values to zero mean and unit variance, x_hat = (x - mean) / sqrt(var + eps), then scale and shift:
// y = gamma x_hat + beta. When mean and var are statistics of the same group (training-mode batch norm, layer norm),
// they depend on every x in the group, and the chain rule through them gives, with g = dL/dy and M values per group,
//     dL/dx = gamma / sqrt(var + eps) * (g - mean(g) - x_hat * mean(g x_hat)),
//     dL/dgamma = sum g x_hat,   dL/dbeta = sum g.
// With fixed statistics (batch norm in eval mode) the first line is just gamma / sqrt(var + eps) * g.
public sealed partial class Tensor
{
    /// <summary>
    /// Batch normalisation (PyTorch's <c>batch_norm</c>, Ioffe and Szegedy 2015): each channel c of an input of shape
    /// (N, C) or (N, C, *) is normalised with statistics over every dimension but the channel one,
    /// <c>y = weight[c] * (x - mean[c]) / sqrt(var[c] + eps) + bias[c]</c>.
    /// </summary>
    /// <remarks>
    /// In training mode (or when no running statistics are given) mean and var are the batch's (var biased, divided by
    /// the count), and the running statistics, when given, are updated in place:
    /// <c>running = (1 - momentum) * running + momentum * batch</c>, with the unbiased batch variance for
    /// <paramref name="runningVar"/>, as PyTorch does. In eval mode the running statistics are used and not changed.
    /// The running statistics never receive gradients.
    /// </remarks>
    /// <param name="input">Shape (N, C) or (N, C, *).</param>
    /// <param name="runningMean">Shape (C), updated in training mode; or null.</param>
    /// <param name="runningVar">Shape (C), updated in training mode; or null.</param>
    /// <param name="weight">gamma, shape (C), or null for 1.</param>
    /// <param name="bias">beta, shape (C), or null for 0.</param>
    /// <param name="training">Use (and update) batch statistics rather than the running ones.</param>
    /// <param name="momentum">Weight of the new batch in the running averages.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentException">Shapes do not fit, or training mode sees a single value per channel.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, float momentum = 0.1f, float eps = 1e-5f)
    {
        const string op = "BatchNorm";
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"{op}: input must have shape (N, C) or (N, C, *), got {FormatShape(input._shape)}.", nameof(input));
        }
        var channels = input._shape[1];
        CheckChannelVector(op, "runningMean", runningMean, channels, input);
        CheckChannelVector(op, "runningVar", runningVar, channels, input);
        CheckChannelVector(op, "weight", weight, channels, input);
        CheckChannelVector(op, "bias", bias, channels, input);
        if ((runningMean is null) != (runningVar is null))
        {
            throw new ArgumentException($"{op}: give both runningMean and runningVar, or neither.", nameof(runningVar));
        }
        var useBatchStatistics = training || runningMean is null;
        var batch = input._shape[0];
        var inner = input.Count / Math.Max(1, batch * channels);
        var perChannel = (long)batch * inner;
        if (useBatchStatistics && perChannel <= 1 && input.Count > 0)
        {
            throw new ArgumentException(
                $"{op}: expected more than 1 value per channel when using batch statistics, got input of shape {FormatShape(input._shape)}; " +
                "use a batch of at least two, or eval mode.", nameof(input));
        }

        return new BatchNormFunction(runningMean, runningVar, weight is not null, bias is not null, training, momentum, eps, useBatchStatistics)
            .Apply(AffineFunction.InputsOf(input, weight, bias));
    }

    /// <summary>Batch normalisation as one <see cref="Function"/>: inputs are the input, then the weight and the bias
    /// that are given; the running statistics are state it updates, not inputs.</summary>
    private sealed class BatchNormFunction(Tensor? runningMean, Tensor? runningVar, bool hasWeight, bool hasBias, bool training,
        float momentum, float eps, bool useBatchStatistics) : AffineFunction(hasWeight, hasBias)
    {
        private ReadOnlyMemory<float> _xMemory;
        private float[] _mean = [], _invStd = [], _scale = [];
        private int _batch, _channels, _inner;
        private long _perChannel;

        public override string Name => "BatchNorm";

        protected override Tensor Forward(Tensor[] inputs)
        {
            var (input, weight, bias) = Operands(inputs);
            _channels = input._shape[1];
            _batch = input._shape[0];
            _inner = input.Count / Math.Max(1, _batch * _channels);
            _perChannel = (long)_batch * _inner;
            _xMemory = input.ContiguousMemory();
            var xMemory = _xMemory;
            _mean = new float[_channels];
            _invStd = new float[_channels];
            if (useBatchStatistics)
            {
                var variance = new double[_channels];
                // Channels are independent and each is summed over n in order, so they can run on both cores.
                ParallelRanges.ForIndependent(_channels, input.Count, (first, count) =>
                {
                    var x = xMemory.Span;
                    var scratch = new float[_inner];
                    for (var c = first; c < first + count; c++)
                    {
                        double sum = 0;
                        for (var n = 0; n < _batch; n++)
                        {
                            sum += Reproducible.Sum(x.Slice((n * _channels + c) * _inner, _inner));
                        }
                        var m = (float)(sum / _perChannel);
                        double squares = 0;
                        for (var n = 0; n < _batch; n++)
                        {
                            TensorPrimitives.Subtract(x.Slice((n * _channels + c) * _inner, _inner), m, scratch);
                            squares += Reproducible.SumOfSquares(scratch);
                        }
                        _mean[c] = m;
                        variance[c] = squares / _perChannel;
                        _invStd[c] = (float)(1 / Math.Sqrt(variance[c] + eps));
                    }
                });
                if (runningMean is not null && training)
                {
                    var rm = runningMean.AsSpan();
                    var rv = runningVar!.AsSpan();
                    for (var c = 0; c < _channels; c++)
                    {
                        rm[c] = (1 - momentum) * rm[c] + momentum * _mean[c];
                        rv[c] = (float)((1 - momentum) * rv[c] + momentum * variance[c] * _perChannel / (_perChannel - 1));
                    }
                }
            }
            else
            {
                runningMean!.ContiguousSpan().CopyTo(_mean);
                var rv = runningVar!.ContiguousSpan();
                for (var c = 0; c < _channels; c++)
                {
                    _invStd[c] = (float)(1 / Math.Sqrt((double)rv[c] + eps));
                }
            }

            var gamma = weight?.ToArray();
            var beta = bias?.ToArray();
            // y = x * _scale + shift with _scale = gamma / sqrt(var + eps), shift = beta - _mean * _scale.
            _scale = new float[_channels];
            var shift = new float[_channels];
            for (var c = 0; c < _channels; c++)
            {
                _scale[c] = (gamma?[c] ?? 1f) * _invStd[c];
                shift[c] = (beta?[c] ?? 0f) - _mean[c] * _scale[c];
            }
            var data = new float[input.Count];
            ParallelRanges.ForIndependent(_channels, input.Count, (first, count) =>
            {
                var x = xMemory.Span;
                for (var c = first; c < first + count; c++)
                {
                    for (var n = 0; n < _batch; n++)
                    {
                        var start = (n * _channels + c) * _inner;
                        var y = data.AsSpan(start, _inner);
                        TensorPrimitives.Multiply(x.Slice(start, _inner), _scale[c], y);
                        TensorPrimitives.Add(y, shift[c], y);
                    }
                }
            });
            return new Tensor(data, (int[])input._shape.Clone());
        }

        protected override Tensor?[] Backward(Tensor g)
        {
            var gradients = new Tensor?[Inputs.Count];
            var xMemory = _xMemory;
            var gradientMemory = g.ContiguousMemory();
            long count = (long)_batch * _channels * _inner;
            // Per channel: S_g = sum g, S_gx = sum g x, so sum g x_hat = _invStd (S_gx - _mean S_g). Each channel is
            // summed over n in order on its own, so channels can run on both cores.
            var sumG = new double[_channels];
            var sumGxHat = new double[_channels];
            ParallelRanges.ForIndependent(_channels, count, (first, channels) =>
            {
                ReadOnlySpan<float> xs = xMemory.Span, gradient = gradientMemory.Span;
                for (var c = first; c < first + channels; c++)
                {
                    for (var n = 0; n < _batch; n++)
                    {
                        var start = (n * _channels + c) * _inner;
                        var gRow = gradient.Slice(start, _inner);
                        sumG[c] += Reproducible.Sum(gRow);
                        sumGxHat[c] += Reproducible.Dot(gRow, xs.Slice(start, _inner));
                    }
                    sumGxHat[c] = _invStd[c] * (sumGxHat[c] - _mean[c] * sumG[c]);
                }
            });
            if (NeedsInputGrad(0))
            {
                // dx = _scale (g - _mean(g) - x_hat _mean(g x_hat)) = _scale g - k x + (k _mean - _scale _mean(g)),
                // k = _scale _invStd _mean(g x_hat); with fixed statistics only dx = _scale g remains.
                var dxTensor = NewGradientUninitialized(0);   // every row below writes all of it
                var dx = dxTensor.Storage;
                ParallelRanges.ForIndependent(_channels, count, (first, channels) =>
                {
                    ReadOnlySpan<float> xs = xMemory.Span, gradient = gradientMemory.Span;
                    for (var c = first; c < first + channels; c++)
                    {
                        float k = 0f, constant = 0f;
                        if (useBatchStatistics)
                        {
                            k = (float)(_scale[c] * _invStd[c] * (sumGxHat[c] / _perChannel));
                            constant = (float)(k * _mean[c] - _scale[c] * (sumG[c] / _perChannel));
                        }
                        for (var n = 0; n < _batch; n++)
                        {
                            var start = (n * _channels + c) * _inner;
                            var row = dx.AsSpan(start, _inner);
                            TensorPrimitives.Multiply(gradient.Slice(start, _inner), _scale[c], row);
                            if (constant != 0f) TensorPrimitives.Add(row, constant, row);
                            if (useBatchStatistics)
                            {
                                TensorPrimitives.MultiplyAdd(xs.Slice(start, _inner), -k, row, row);
                            }
                        }
                    }
                });
                gradients[0] = dxTensor;
            }
            if (HasWeight && NeedsInputGrad(1))
            {
                gradients[1] = ChannelGradient(1, sumGxHat);
            }
            if (HasBias && NeedsInputGrad(Inputs.Count - 1))
            {
                gradients[^1] = ChannelGradient(Inputs.Count - 1, sumG);
            }
            return gradients;
        }

        private Tensor ChannelGradient(int index, double[] sums)
        {
            var gradient = NewGradientUninitialized(index);
            for (var c = 0; c < sums.Length; c++)
            {
                gradient.Storage[c] = (float)sums[c];
            }
            return gradient;
        }
    }

    /// <summary>
    /// Layer normalisation (PyTorch's <c>layer_norm</c>, Ba et al. 2016): each group of values spanning the last
    /// <c>normalizedShape.Length</c> dimensions is normalised by its own mean and (biased) variance,
    /// <c>y = weight * (x - mean) / sqrt(var + eps) + bias</c>, the same in training and evaluation.
    /// </summary>
    /// <param name="input">Shape (*, normalizedShape).</param>
    /// <param name="normalizedShape">The trailing dimensions to normalise over.</param>
    /// <param name="weight">gamma, of <paramref name="normalizedShape"/>, or null for 1.</param>
    /// <param name="bias">beta, of <paramref name="normalizedShape"/>, or null for 0.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <exception cref="ArgumentException">The input's trailing dimensions or the parameters' shapes differ from
    /// <paramref name="normalizedShape"/>.</exception>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        const string op = "LayerNorm";
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        var k = normalizedShape.Length;
        if (k == 0 || k > input.Rank || !input._shape.AsSpan(input.Rank - k).SequenceEqual(normalizedShape))
        {
            throw new ArgumentException(
                $"{op}: input of shape {FormatShape(input._shape)} does not end in the normalized shape {FormatShape(normalizedShape)}.", nameof(normalizedShape));
        }
        foreach (var (name, parameter) in new[] { ("weight", weight), ("bias", bias) })
        {
            if (parameter is not null && !parameter._shape.AsSpan().SequenceEqual(normalizedShape))
            {
                throw new ArgumentException(
                    $"{op}: {name} of shape {FormatShape(parameter._shape)} does not match the normalized shape {FormatShape(normalizedShape)}.", name);
            }
        }
        var size = ShapeCount(normalizedShape);
        return new LayerNormFunction(size, weight is not null, bias is not null, eps).Apply(AffineFunction.InputsOf(input, weight, bias));
    }

    /// <summary>Layer normalisation as one <see cref="Function"/>: inputs are the input, then the weight and the bias
    /// that are given.</summary>
    private sealed class LayerNormFunction(int size, bool hasWeight, bool hasBias, float eps) : AffineFunction(hasWeight, hasBias)
    {
        private ReadOnlyMemory<float> _xMemory;
        private float[]? _gamma;
        private float[] _mean = [], _invStd = [];
        private int _rows;

        public override string Name => "LayerNorm";

        protected override Tensor Forward(Tensor[] inputs)
        {
            var (input, weight, bias) = Operands(inputs);
            _rows = size == 0 ? 0 : input.Count / size;
            _xMemory = input.ContiguousMemory();
            var x = _xMemory.Span;
            _gamma = weight?.ToArray();
            var beta = bias?.ToArray();
            _mean = new float[_rows];
            _invStd = new float[_rows];
            var data = new float[input.Count];
            for (var r = 0; r < _rows; r++)
            {
                var row = x.Slice(r * size, size);
                var y = data.AsSpan(r * size, size);
                var m = Reproducible.Sum(row) / size;
                TensorPrimitives.Subtract(row, m, y);
                var variance = Reproducible.SumOfSquares(y) / size;
                var s = (float)(1 / Math.Sqrt((double)variance + eps));
                TensorPrimitives.Multiply(y, s, y);
                if (_gamma is not null) TensorPrimitives.Multiply(y, _gamma, y);
                if (beta is not null) TensorPrimitives.Add(y, beta, y);
                _mean[r] = m;
                _invStd[r] = s;
            }
            return new Tensor(data, (int[])input._shape.Clone());
        }

        protected override Tensor?[] Backward(Tensor g)
        {
            var xs = _xMemory.Span;
            var gradient = g.ContiguousSpan();
            // dx: every row below writes all of its part; dGamma and dBeta are sums, so they start at zero.
            var dxTensor = NeedsInputGrad(0) ? NewGradientUninitialized(0) : null;
            var dx = dxTensor?.Storage;
            var dGammaTensor = HasWeight ? NewGradient(1) : null;
            var dBetaTensor = HasBias ? NewGradient(Inputs.Count - 1) : null;
            var dGamma = dGammaTensor?.Storage ?? new float[size];
            var dBeta = dBetaTensor?.Storage ?? new float[size];
            var xHat = new float[size];
            var gHat = new float[size];
            for (var r = 0; r < _rows; r++)
            {
                var gRow = gradient.Slice(r * size, size);
                TensorPrimitives.Subtract(xs.Slice(r * size, size), _mean[r], xHat);
                TensorPrimitives.Multiply(xHat, _invStd[r], xHat);
                TensorPrimitives.MultiplyAdd(gRow, xHat, dGamma, dGamma);
                TensorPrimitives.Add(dBeta, gRow, dBeta);
                if (dx is null)
                {
                    continue;
                }
                // dx = _invStd (g_hat - _mean(g_hat) - x_hat _mean(g_hat x_hat)), g_hat = _gamma g.
                if (_gamma is not null) TensorPrimitives.Multiply(gRow, _gamma, gHat);
                else gRow.CopyTo(gHat);
                var meanG = Reproducible.Sum(gHat) / size;
                var meanGx = Reproducible.Dot(gHat, xHat) / size;
                var target = dx.AsSpan(r * size, size);
                TensorPrimitives.Multiply(xHat, -meanGx, target);
                TensorPrimitives.Add(target, gHat, target);
                TensorPrimitives.Subtract(target, meanG, target);
                TensorPrimitives.Multiply(target, _invStd[r], target);
            }
            var gradients = new Tensor?[Inputs.Count];
            gradients[0] = dxTensor;
            if (HasWeight) gradients[1] = dGammaTensor;
            if (HasBias) gradients[^1] = dBetaTensor;
            return gradients;
        }
    }

    /// <summary>A normalisation's <see cref="Function"/>: its inputs are the input, then the weight and the bias that are
    /// given (1 to 3 tensors).</summary>
    private abstract class AffineFunction(bool hasWeight, bool hasBias) : Function
    {
        /// <summary>The inputs for <see cref="Function.Apply"/>: the input, then the weight and bias that are given.</summary>
        public static Tensor[] InputsOf(Tensor input, Tensor? weight, Tensor? bias) => (weight, bias) switch
        {
            (null, null) => [input],
            (null, _) => [input, bias],
            (_, null) => [input, weight],
            _ => [input, weight, bias],
        };

        /// <summary>Whether a weight (gamma) is among the inputs, second.</summary>
        protected bool HasWeight => hasWeight;

        /// <summary>Whether a bias (beta) is among the inputs, last.</summary>
        protected bool HasBias => hasBias;

        /// <summary>The input, weight and bias back from the inputs Forward receives.</summary>
        protected (Tensor Input, Tensor? Weight, Tensor? Bias) Operands(Tensor[] inputs) =>
            (inputs[0], hasWeight ? inputs[1] : null, hasBias ? inputs[^1] : null);
    }

    private static void CheckChannelVector(string op, string name, Tensor? vector, int channels, Tensor input)
    {
        if (vector is not null && (vector.Rank != 1 || vector._shape[0] != channels))
        {
            throw new ArgumentException(
                $"{op}: {name} of shape {FormatShape(vector._shape)} does not match the {channels} channels of input {FormatShape(input._shape)}; " +
                $"expected shape ({channels}).", name);
        }
    }
}
