using Generative.Tensors.Kernels;
using System.Buffers;
using System.Numerics.Tensors;

namespace Generative.Tensors;

// Reductions along dimensions. Primitives: Sum (backward: broadcast the gradient back over the reduced dimensions),
// Max with ArgMax (backward: the gradient goes to the first maximal entry), LogSumExp (backward: softmax times the
// gradient). Mean, Var, Softmax and LogSoftmax are composed from them.
public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a scalar (rank 0).</summary>
    public Tensor Sum() => Sum(AllDims(), keepDim: false);

    /// <summary>Sums over <paramref name="dim"/>; the dimension is dropped unless <paramref name="keepDim"/>.
    /// out[..., ...] = sum_j x[..., j, ...]; d out / d x = 1.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Sums over every dimension in <paramref name="dims"/> (dropped unless <paramref name="keepDim"/>).</summary>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var (keptShape, outShape) = ReducedShapes("Sum", dims, keepDim);
        var source = ContiguousArray();
        var data = Broadcasting.SumToShape(source, _shape, keptShape);
        if (ReferenceEquals(data, source))
        {
            data = (float[])data.Clone(); // only size-1 dimensions were reduced; never alias the input
        }
        var result = new Tensor(data, outShape);
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("Sum", [input], g => input.AccumulateGrad(g.Reshape(keptShape).Expand(input._shape).Contiguous()));
        }
        return result;
    }

    /// <summary>The mean of all elements, as a scalar.</summary>
    public Tensor Mean() => Mean(AllDims(), keepDim: false);

    /// <summary>The mean over <paramref name="dim"/>: Sum(dim) / size.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>The mean over <paramref name="dims"/>: Sum(dims) / (product of their sizes).</summary>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        var sum = Sum(dims, keepDim);
        // Divide by the exact integer count rather than multiply by its rounded reciprocal.
        return sum.Count == 0 ? sum : sum.Div(Count / sum.Count);
    }

    /// <summary>The variance over <paramref name="dim"/>: sum (x - mean)^2 / (n - 1) when <paramref name="unbiased"/>
    /// (Bessel's correction, PyTorch's default), else / n.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => Var([dim], unbiased, keepDim);

    /// <summary>The variance of all elements.</summary>
    public Tensor Var(bool unbiased = true) => Var(AllDims(), unbiased, keepDim: false);

    /// <summary>The variance over <paramref name="dims"/> (see <see cref="Var(int, bool, bool)"/>).</summary>
    public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false)
    {
        var centered = this - Mean(dims, keepDim: true);
        var squares = (centered * centered).Sum(dims, keepDim);
        var n = Count / Math.Max(squares.Count, 1);
        return squares.Div(unbiased ? n - 1 : n);
    }

    /// <summary>The largest element, as a scalar; its gradient goes to the first maximal element.</summary>
    public Tensor Max() => Reshape(-1).Max(0).Values;

    /// <summary>
    /// The maximum along <paramref name="dim"/> and where it is (the first index on ties), as PyTorch's
    /// <c>max(dim)</c>. Indices are float-valued (the engine has one element type) and carry no gradient; the values'
    /// gradient goes to the selected entries.
    /// </summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false)
    {
        var d = NormalizeDim("Max", dim, Rank);
        if (_shape[d] == 0)
        {
            throw new ArgumentException($"Max: cannot reduce over dimension {dim} of size 0 (shape {FormatShape(_shape)}).");
        }
        var (keptShape, outShape) = ReducedShapes("Max", [d], keepDim);
        var (outer, size, inner) = Split(d);
        var x = ContiguousSpan();
        var values = new float[outer * inner];
        var indices = new int[outer * inner];
        for (var o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var row = x.Slice(o * size, size);
                var at = TensorPrimitives.IndexOfMax(row);
                values[o] = row[at];
                indices[o] = at;
                continue;
            }
            var block = x.Slice(o * size * inner, size * inner);
            var best = values.AsSpan(o * inner, inner);
            block[..inner].CopyTo(best);
            for (var j = 1; j < size; j++)
            {
                var row = block.Slice(j * inner, inner);
                for (var i = 0; i < inner; i++)
                {
                    if (row[i] > best[i])
                    {
                        best[i] = row[i];
                        indices[o * inner + i] = j;
                    }
                }
            }
        }
        var indexValues = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            indexValues[i] = indices[i];
        }
        var result = new Tensor(values, outShape);
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("Max", [input], g =>
            {
                var gradient = g.ContiguousSpan();
                var dx = new float[input.Count];
                for (var o = 0; o < outer; o++)
                {
                    for (var i = 0; i < inner; i++)
                    {
                        var k = o * inner + i;
                        dx[(o * size + indices[k]) * inner + i] = gradient[k];
                    }
                }
                input.AccumulateGrad(new Tensor(dx, input._shape), owned: true);
            });
        }
        return (result, new Tensor(indexValues, (int[])outShape.Clone()));
    }

    /// <summary>The index of the maximum along <paramref name="dim"/> (float-valued, no gradient).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false)
    {
        using (NoGrad())
        {
            return Max(dim, keepDim).Indices;
        }
    }

    /// <summary>The minimum along <paramref name="dim"/> and its index: -max(-x).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false)
    {
        var (values, indices) = Neg().Max(dim, keepDim);
        return (values.Neg(), indices);
    }

    /// <summary>The smallest element, as a scalar.</summary>
    public Tensor Min() => Neg().Max().Neg();

    /// <summary>
    /// log sum_j exp(x_j) along <paramref name="dim"/>, computed stably as m + log sum_j exp(x_j - m) with m the
    /// maximum (so nothing overflows and a row of -infinity gives -infinity). d out / d x_j = softmax(x)_j.
    /// </summary>
    public Tensor LogSumExp(int dim, bool keepDim = false)
    {
        var d = NormalizeDim("LogSumExp", dim, Rank);
        var (keptShape, outShape) = ReducedShapes("LogSumExp", [d], keepDim);
        var (outer, size, inner) = Split(d);
        var xMemory = ContiguousMemory();
        var x = xMemory.Span;
        var data = new float[outer * inner];
        var scratch = ArrayPool<float>.Shared.Rent(Math.Max(size, 2 * inner));
        try
        {
            for (var o = 0; o < outer; o++)
            {
                var block = x.Slice(o * size * inner, size * inner);
                if (inner == 1)
                {
                    var shift = StableShift(TensorPrimitives.Max(block));
                    var terms = scratch.AsSpan(0, size);
                    TensorPrimitives.Subtract(block, shift, terms);
                    Reproducible.Exp(terms, terms);
                    data[o] = shift + Reproducible.Log(Reproducible.Sum(terms));
                    continue;
                }
                var max = data.AsSpan(o * inner, inner); // the output row doubles as the running maximum
                block[..inner].CopyTo(max);
                for (var j = 1; j < size; j++)
                {
                    TensorPrimitives.Max(max, block.Slice(j * inner, inner), max);
                }
                for (var i = 0; i < inner; i++)
                {
                    max[i] = StableShift(max[i]);
                }
                var total = scratch.AsSpan(0, inner);
                var term = scratch.AsSpan(inner, inner);
                total.Clear();
                for (var j = 0; j < size; j++)
                {
                    TensorPrimitives.Subtract(block.Slice(j * inner, inner), max, term);
                    Reproducible.Exp(term, term);
                    TensorPrimitives.Add(total, term, total);
                }
                Reproducible.Log(total, total);
                TensorPrimitives.Add(max, total, max);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
        var result = new Tensor(data, outShape);
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("LogSumExp", [input], g =>
            {
                // dx[o, j, i] = g[o, i] exp(x[o, j, i] - out[o, i])
                var xs = xMemory.Span;
                var gradient = g.ContiguousSpan();
                var dx = new float[input.Count];
                for (var o = 0; o < outer; o++)
                {
                    if (inner == 1)
                    {
                        var row = dx.AsSpan(o * size, size);
                        TensorPrimitives.Subtract(xs.Slice(o * size, size), data[o], row);
                        Reproducible.Exp(row, row);
                        TensorPrimitives.Multiply(row, gradient[o], row);
                        continue;
                    }
                    var lse = data.AsSpan(o * inner, inner);
                    var gRow = gradient.Slice(o * inner, inner);
                    for (var j = 0; j < size; j++)
                    {
                        var start = (o * size + j) * inner;
                        var row = dx.AsSpan(start, inner);
                        TensorPrimitives.Subtract(xs.Slice(start, inner), lse, row);
                        Reproducible.Exp(row, row);
                        TensorPrimitives.Multiply(row, gRow, row);
                    }
                }
                input.AccumulateGrad(new Tensor(dx, input._shape), owned: true);
            });
        }
        return result;
    }

    /// <summary>softmax(x)_j = exp(x_j - logsumexp(x)) along <paramref name="dim"/>; rows sum to 1.</summary>
    public Tensor Softmax(int dim) => (this - LogSumExp(dim, keepDim: true)).Exp();

    /// <summary>log softmax(x)_j = x_j - logsumexp(x) along <paramref name="dim"/>, without forming softmax (stable
    /// for very negative log-probabilities).</summary>
    public Tensor LogSoftmax(int dim) => this - LogSumExp(dim, keepDim: true);

    // Subtracting an infinite maximum would turn -inf - (-inf) into NaN; shifting by 0 instead keeps an all -inf row
    // at log(0) = -inf.
    private static float StableShift(float max) => float.IsInfinity(max) ? 0f : max;

    private int[] AllDims()
    {
        var dims = new int[Rank];
        for (var d = 0; d < dims.Length; d++)
        {
            dims[d] = d;
        }
        return dims;
    }

    /// <summary>Views the tensor as (outer, size, inner) around dimension <paramref name="dim"/>.</summary>
    private (int Outer, int Size, int Inner) Split(int dim)
    {
        int outer = 1, inner = 1;
        for (var d = 0; d < dim; d++)
        {
            outer *= _shape[d];
        }
        for (var d = dim + 1; d < Rank; d++)
        {
            inner *= _shape[d];
        }
        return (outer, _shape[dim], inner);
    }

    /// <summary>The shape with reduced dimensions set to 1, and the output shape (those dimensions dropped unless keepDim).</summary>
    private (int[] KeptShape, int[] OutShape) ReducedShapes(string op, int[] dims, bool keepDim)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var reduced = new bool[Rank];
        foreach (var dim in dims)
        {
            var d = NormalizeDim(op, dim, Rank);
            if (reduced[d])
            {
                throw new ArgumentException($"{op}: dimension {dim} appears twice in ({string.Join(", ", dims)}).", nameof(dims));
            }
            reduced[d] = true;
        }
        var kept = (int[])_shape.Clone();
        var outShape = new List<int>(Rank);
        for (var d = 0; d < Rank; d++)
        {
            if (reduced[d])
            {
                kept[d] = 1;
                if (keepDim)
                {
                    outShape.Add(1);
                }
            }
            else
            {
                outShape.Add(_shape[d]);
            }
        }
        return (kept, outShape.ToArray());
    }
}
