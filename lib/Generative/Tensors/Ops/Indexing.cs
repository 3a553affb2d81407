namespace Generative.Tensors;

// Gathering and joining. IndexSelect copies chosen slices (backward: scatter-add, so a row picked twice gets both
// gradients, which is what an embedding lookup needs); Cat copies blocks side by side (backward: slice the gradient
// back apart); Stack is Unsqueeze then Cat.
public sealed partial class Tensor
{
    /// <summary>
    /// The slices at <paramref name="indices"/> along <paramref name="dim"/>, in that order (repeats allowed):
    /// out[..., t, ...] = x[..., indices[t], ...]. An embedding lookup is weight.IndexSelect(0, tokenIds).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dimension.</exception>
    public Tensor IndexSelect(int dim, params int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var d = NormalizeDim("IndexSelect", dim, Rank);
        var (outer, size, inner) = Split(d);
        var picks = (int[])indices.Clone();
        for (var t = 0; t < picks.Length; t++)
        {
            if (picks[t] < 0)
            {
                picks[t] += size;
            }
            if ((uint)picks[t] >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"IndexSelect: index {indices[t]} is out of range for dimension {dim} of size {size} (shape {FormatShape(_shape)}).");
            }
        }
        var x = ContiguousSpan();
        var shape = (int[])_shape.Clone();
        shape[d] = picks.Length;
        var data = new float[outer * picks.Length * inner];
        for (var o = 0; o < outer; o++)
        {
            for (var t = 0; t < picks.Length; t++)
            {
                x.Slice((o * size + picks[t]) * inner, inner).CopyTo(data.AsSpan((o * picks.Length + t) * inner, inner));
            }
        }
        var result = new Tensor(data, shape);
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("IndexSelect", [input], g =>
            {
                var gradient = g.ContiguousSpan();
                var dx = new float[input.Count];
                for (var o = 0; o < outer; o++)
                {
                    for (var t = 0; t < picks.Length; t++)
                    {
                        var target = dx.AsSpan((o * size + picks[t]) * inner, inner);
                        System.Numerics.Tensors.TensorPrimitives.Add(target, gradient.Slice((o * picks.Length + t) * inner, inner), target);
                    }
                }
                input.AccumulateGrad(new Tensor(dx, input._shape), owned: true);
            });
        }
        return result;
    }

    /// <summary><see cref="IndexSelect(int, int[])"/> with indices held in a 1-D tensor of whole numbers.</summary>
    public Tensor IndexSelect(int dim, Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Rank != 1)
        {
            throw new ArgumentException($"IndexSelect: indices must be 1-D, got shape {FormatShape(indices._shape)}.", nameof(indices));
        }
        return IndexSelect(dim, ToIndices("IndexSelect", indices));
    }

    /// <summary>
    /// Joins tensors along an existing dimension <paramref name="dim"/>; all other sizes must agree.
    /// Backward hands each input its slice of the gradient.
    /// </summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Cat: expected at least one tensor.", nameof(tensors));
        }
        var first = tensors[0];
        var d = NormalizeDim("Cat", dim, first.Rank);
        var total = 0;
        foreach (var t in tensors)
        {
            var compatible = t.Rank == first.Rank;
            for (var s = 0; s < first.Rank && compatible; s++)
            {
                compatible = s == d || t._shape[s] == first._shape[s];
            }
            if (!compatible)
            {
                throw new ArgumentException(
                    $"Cat: shapes {FormatShape(first._shape)} and {FormatShape(t._shape)} must match in every dimension except {dim}.",
                    nameof(tensors));
            }
            total += t._shape[d];
        }
        var (outer, _, inner) = first.Split(d);
        var shape = (int[])first._shape.Clone();
        shape[d] = total;
        var data = new float[outer * total * inner];
        var start = 0;
        var record = false;
        foreach (var t in tensors)
        {
            var block = t._shape[d] * inner;
            var x = t.ContiguousSpan();
            for (var o = 0; o < outer; o++)
            {
                x.Slice(o * block, block).CopyTo(data.AsSpan(o * total * inner + start * inner, block));
            }
            start += t._shape[d];
            record |= t._requiresGrad;
        }
        var result = new Tensor(data, shape);
        if (record && IsGradEnabled)
        {
            var inputs = tensors.ToArray();
            result.Record("Cat", inputs, g =>
            {
                var offset = 0;
                foreach (var input in inputs)
                {
                    if (input._requiresGrad)
                    {
                        input.AccumulateGrad(g.Narrow(d, offset, input._shape[d]).Contiguous());
                    }
                    offset += input._shape[d];
                }
            });
        }
        return result;
    }

    /// <summary>Joins same-shaped tensors along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Stack: expected at least one tensor.", nameof(tensors));
        }
        var first = tensors[0];
        var unsqueezed = new Tensor[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            if (!tensors[i]._shape.AsSpan().SequenceEqual(first._shape))
            {
                throw new ArgumentException(
                    $"Stack: shapes {FormatShape(first._shape)} and {FormatShape(tensors[i]._shape)} differ; all tensors must have the same shape.",
                    nameof(tensors));
            }
            unsqueezed[i] = tensors[i].Unsqueeze(NormalizeDim("Stack", dim, first.Rank + 1));
        }
        return Cat(unsqueezed, dim);
    }

    /// <summary>Whole-number float values as int indices (the engine has one element type, so indices travel as floats).</summary>
    internal static int[] ToIndices(string op, Tensor indices)
    {
        var values = indices.ContiguousSpan();
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value != MathF.Round(value) || float.IsInfinity(value))
            {
                throw new ArgumentException($"{op}: index {value} at position {i} is not a whole number.", nameof(indices));
            }
            result[i] = (int)value;
        }
        return result;
    }
}
