namespace Generative.Tensors;

// Shape ops. Each computes a new (offset, shape, strides) over the same storage, so no data moves; only Reshape of
// a non-contiguous tensor copies. Backward maps the gradient back to the input's shape: the inverse permutation for
// Transpose/Permute, a reshape for Reshape, a zero tensor with the gradient written into the viewed region for
// Narrow/Select, and a sum over the broadcast dimensions for Expand.
public sealed partial class Tensor
{
    /// <summary>
    /// The same elements in row-major order with a new shape (one size may be -1: inferred). A view when this tensor
    /// is contiguous, otherwise a copy (PyTorch's <c>reshape</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The element counts differ (the message names both shapes).</exception>
    public Tensor Reshape(params int[] shape)
    {
        var target = InferShape("Reshape", shape);
        var source = IsContiguous ? this : Contiguous();
        var result = new Tensor(source._storage, source._offset, target, ContiguousStrides(target));
        if (ShouldRecord(source))
        {
            result.Record("Reshape", [source], g => source.AccumulateGrad(g.Reshape(source._shape)));
        }
        return result;
    }

    /// <summary>Like <see cref="Reshape"/> but never copies (PyTorch's <c>view</c>).</summary>
    /// <exception cref="InvalidOperationException">This tensor is not contiguous.</exception>
    public Tensor View(params int[] shape)
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException(
                $"View: a tensor of shape {FormatShape(_shape)} with strides {FormatShape(_strides)} is not contiguous, " +
                "so it cannot be viewed with a new shape; use Reshape (which copies) or call Contiguous() first.");
        }
        return Reshape(shape);
    }

    /// <summary>All dimensions from <paramref name="startDim"/> to <paramref name="endDim"/> merged into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }
        var start = NormalizeDim("Flatten", startDim, Rank);
        var end = NormalizeDim("Flatten", endDim, Rank);
        if (end < start)
        {
            throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim} for shape {FormatShape(_shape)}.");
        }
        var shape = new int[Rank - (end - start)];
        var merged = 1;
        for (var d = start; d <= end; d++)
        {
            merged *= _shape[d];
        }
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = d < start ? _shape[d] : d == start ? merged : _shape[d + end - start];
        }
        return Reshape(shape);
    }

    /// <summary>A view with a new dimension of size 1 inserted at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        var at = NormalizeDim("Unsqueeze", dim, Rank + 1);
        var shape = new int[Rank + 1];
        var strides = new int[Rank + 1];
        for (var d = 0; d < shape.Length; d++)
        {
            var source = d < at ? d : d - 1;
            shape[d] = d == at ? 1 : _shape[source];
            // The new stride is never stepped along; make it what a contiguous tensor would have.
            strides[d] = d == at ? (at < Rank ? _strides[at] * _shape[at] : 1) : _strides[source];
        }
        return MakeView("Unsqueeze", _offset, shape, strides, g => g.Squeeze(at));
    }

    /// <summary>A view without dimension <paramref name="dim"/>, which must have size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        var at = NormalizeDim("Squeeze", dim, Rank);
        if (_shape[at] != 1)
        {
            throw new ArgumentException($"Squeeze: dimension {dim} of shape {FormatShape(_shape)} has size {_shape[at]}, not 1.");
        }
        var shape = new int[Rank - 1];
        var strides = new int[Rank - 1];
        for (int d = 0, k = 0; d < Rank; d++)
        {
            if (d != at)
            {
                shape[k] = _shape[d];
                strides[k++] = _strides[d];
            }
        }
        return MakeView("Squeeze", _offset, shape, strides, g => g.Unsqueeze(at));
    }

    /// <summary>A view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var a = NormalizeDim("Transpose", dim0, Rank);
        var b = NormalizeDim("Transpose", dim1, Rank);
        var shape = (int[])_shape.Clone();
        var strides = (int[])_strides.Clone();
        (shape[a], shape[b]) = (shape[b], shape[a]);
        (strides[a], strides[b]) = (strides[b], strides[a]);
        return MakeView("Transpose", _offset, shape, strides, g => g.Transpose(a, b).Contiguous());
    }

    /// <summary>The transpose of a matrix (rank 2 only; use <see cref="Transpose"/> or <see cref="Permute"/> otherwise).</summary>
    public Tensor T => Rank == 2
        ? Transpose(0, 1)
        : throw new InvalidOperationException($"T: expected a matrix (rank 2), got shape {FormatShape(_shape)}; use Transpose(dim0, dim1).");

    /// <summary>A view whose dimension d is this tensor's dimension dims[d].</summary>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != Rank)
        {
            throw new ArgumentException($"Permute: {dims.Length} dimensions given for shape {FormatShape(_shape)}.", nameof(dims));
        }
        var shape = new int[Rank];
        var strides = new int[Rank];
        var inverse = new int[Rank];
        var seen = new bool[Rank];
        for (var d = 0; d < Rank; d++)
        {
            var source = NormalizeDim("Permute", dims[d], Rank);
            if (seen[source])
            {
                throw new ArgumentException($"Permute: dimension {dims[d]} appears twice in ({string.Join(", ", dims)}).", nameof(dims));
            }
            seen[source] = true;
            shape[d] = _shape[source];
            strides[d] = _strides[source];
            inverse[source] = d;
        }
        return MakeView("Permute", _offset, shape, strides, g => g.Permute(inverse).Contiguous());
    }

    /// <summary>A view of <paramref name="length"/> consecutive entries along <paramref name="dim"/> from
    /// <paramref name="start"/> (PyTorch's <c>narrow</c>; x[..., start:start+length, ...]).</summary>
    public Tensor Narrow(int dim, int start, int length) => Slice(dim, start, start + length, 1, "Narrow");

    /// <summary>A view of entries start, start + step, ... below <paramref name="end"/> along <paramref name="dim"/>
    /// (Python's x[..., start:end:step, ...]; negative start/end count from the end).</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1) => Slice(dim, start, end, step, "Slice");

    /// <summary>A view of index <paramref name="index"/> along <paramref name="dim"/>, with that dimension removed
    /// (x[..., index, ...]).</summary>
    public Tensor Select(int dim, int index)
    {
        var d = NormalizeDim("Select", dim, Rank);
        var i = index < 0 ? index + _shape[d] : index;
        if ((uint)i >= (uint)_shape[d])
        {
            throw new ArgumentOutOfRangeException(nameof(index),
                $"Select: index {index} is out of range for dimension {dim} of size {_shape[d]} (shape {FormatShape(_shape)}).");
        }
        var shape = new int[Rank - 1];
        var strides = new int[Rank - 1];
        for (int s = 0, k = 0; s < Rank; s++)
        {
            if (s != d)
            {
                shape[k] = _shape[s];
                strides[k++] = _strides[s];
            }
        }
        var inputShape = _shape;
        return MakeView("Select", _offset + i * _strides[d], shape, strides,
            g => ScatterIntoZeros(inputShape, view => view.Select(d, i), g));
    }

    /// <summary>
    /// A view that repeats size-1 dimensions (and new leading ones) to <paramref name="shape"/> without copying
    /// (stride 0); -1 keeps a size. Backward sums over the repeated dimensions.
    /// </summary>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < Rank)
        {
            throw new ArgumentException($"Expand: cannot expand shape {FormatShape(_shape)} to fewer dimensions {FormatShape(shape)}.", nameof(shape));
        }
        var target = new int[shape.Length];
        var lead = shape.Length - Rank;
        for (var d = 0; d < target.Length; d++)
        {
            var own = d < lead ? 1 : _shape[d - lead];
            target[d] = shape[d] == -1 && d >= lead ? own : shape[d];
            if (target[d] != own && own != 1 || target[d] < 0)
            {
                throw new ArgumentException($"Expand: shape {FormatShape(_shape)} cannot be expanded to {FormatShape(shape)}.", nameof(shape));
            }
        }
        if (target.AsSpan().SequenceEqual(_shape))
        {
            return this;
        }
        var strides = Broadcasting.ExpandedStrides(_shape, _strides, target);
        var inputShape = _shape;
        return MakeView("Expand", _offset, target, strides, g => SumTo(g, inputShape));
    }

    private Tensor Slice(int dim, int start, int end, int step, string op)
    {
        var d = NormalizeDim(op, dim, Rank);
        var size = _shape[d];
        if (step <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"{op}: step must be positive, got {step}.");
        }
        var from = start < 0 ? start + size : start;
        var to = end < 0 ? end + size : end;
        if (from < 0 || from > size || to < from || to > size)
        {
            throw new ArgumentOutOfRangeException(nameof(start),
                $"{op}: range [{start}, {end}) is out of bounds for dimension {dim} of size {size} (shape {FormatShape(_shape)}).");
        }
        var shape = (int[])_shape.Clone();
        var strides = (int[])_strides.Clone();
        shape[d] = (to - from + step - 1) / step;
        strides[d] *= step;
        var inputShape = _shape;
        return MakeView(op, _offset + from * _strides[d], shape, strides,
            g => ScatterIntoZeros(inputShape, view => view.Slice(d, from, to, step, op), g));
    }

    /// <summary>Wraps a view over this tensor's storage and records its backward when needed.</summary>
    private Tensor MakeView(string op, int offset, int[] shape, int[] strides, Func<Tensor, Tensor> gradientToInput)
    {
        var result = new Tensor(_storage, offset, shape, strides);
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record(op, [input], g => input.AccumulateGrad(gradientToInput(g)));
        }
        return result;
    }

    /// <summary>A zero tensor of <paramref name="shape"/> with <paramref name="grad"/> written into the region that
    /// <paramref name="view"/> selects: the backward of taking that region.</summary>
    private static Tensor ScatterIntoZeros(int[] shape, Func<Tensor, Tensor> view, Tensor grad)
    {
        var zeros = Zeros(shape);
        view(zeros).CopyFrom(grad);
        return zeros;
    }

    private int[] InferShape(string op, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = (int[])shape.Clone();
        var inferred = -1;
        long known = 1;
        for (var d = 0; d < target.Length; d++)
        {
            if (target[d] == -1 && inferred < 0)
            {
                inferred = d;
            }
            else if (target[d] < 0)
            {
                throw new ArgumentException($"{op}: invalid target shape {FormatShape(shape)} for a tensor of shape {FormatShape(_shape)} (at most one -1).", nameof(shape));
            }
            else
            {
                known *= target[d];
            }
        }
        if (inferred >= 0 && known != 0 && Count % known == 0)
        {
            target[inferred] = (int)(Count / known);
            known *= target[inferred];
        }
        if (known != Count || inferred >= 0 && target[inferred] == -1)
        {
            throw new ArgumentException(
                $"{op}: cannot reshape a tensor of shape {FormatShape(_shape)} ({Count} elements) into shape {FormatShape(shape)}.", nameof(shape));
        }
        return target;
    }
}
