using System.Numerics.Tensors;

namespace Generative.Tensors;

/// <summary>
/// An n-dimensional array of float32 values with reverse-mode automatic differentiation, shaped after
/// PyTorch's and TorchSharp's <c>torch.Tensor</c>.
/// </summary>
/// <remarks>
/// <para>
/// Storage is a flat <see cref="float"/> array read through an offset and one stride per dimension, so
/// <see cref="Reshape"/> of contiguous data, <see cref="Transpose"/>, <see cref="Permute"/>, <see cref="Narrow"/>,
/// <see cref="Select"/> and <see cref="Expand"/> are views that share storage instead of copying. Ops that need
/// contiguous input (almost all of them: they hand spans to <see cref="TensorPrimitives"/> or the GEMM kernel)
/// copy a non-contiguous input first; the result of an op is always a fresh contiguous tensor.
/// </para>
/// <para>
/// Every op whose inputs require gradients records a backward closure and its parents on the result
/// (micrograd's design, see <c>Tensor.Autograd.cs</c>); <see cref="Backward()"/> walks that graph once in
/// reverse topological order.
/// </para>
/// </remarks>
public sealed partial class Tensor
{
    private readonly float[] _storage;
    private readonly int _offset;
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>Wraps <paramref name="storage"/> as a contiguous tensor of <paramref name="shape"/> (no copy).</summary>
    internal Tensor(float[] storage, int[] shape)
        : this(storage, 0, shape, ContiguousStrides(shape))
    {
    }

    /// <summary>A view of <paramref name="storage"/> (no copy, no validation beyond debug checks).</summary>
    internal Tensor(float[] storage, int offset, int[] shape, int[] strides)
    {
        _storage = storage;
        _offset = offset;
        _shape = shape;
        _strides = strides;
        Count = ShapeCount(shape);
        IsContiguous = offset + Count <= storage.Length && HasContiguousStrides(shape, strides);
    }

    /// <summary>The size of each dimension, outermost first (PyTorch's <c>shape</c>), as a fresh copy: changing the
    /// array does not change the tensor. An array rather than a span so that a notebook cell can display it and LINQ,
    /// pattern matching and <c>Assert.Equal</c> take it directly, as TorchSharp's <c>shape</c> returns a long[].</summary>
    /// <remarks>Each read allocates; library code on hot paths reads <see cref="ShapeSpan"/> instead.</remarks>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The shape without a copy, for hot paths inside the library.</summary>
    internal ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>How many storage elements apart neighbours along each dimension are (PyTorch's <c>stride()</c>).</summary>
    public int[] Strides => (int[])_strides.Clone();

    /// <summary>Index of element [0, ..., 0] in the shared storage (PyTorch's <c>storage_offset()</c>).</summary>
    public int StorageOffset => _offset;

    /// <summary>The number of dimensions (PyTorch's <c>dim()</c>); 0 for a scalar.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements, the product of <see cref="Shape"/> (PyTorch's <c>numel()</c>).</summary>
    public int Count { get; }

    /// <summary>True when the elements lie in row-major order without gaps from <see cref="StorageOffset"/> on,
    /// so the tensor can be handed to span kernels as is.</summary>
    public bool IsContiguous { get; }

    /// <summary>The size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int Size(int dim) => _shape[NormalizeDim("Size", dim, Rank)];

    /// <summary>A copy of the shape; the same as <see cref="Shape"/>, which now returns an array itself.</summary>
    [Obsolete("Use Shape, which returns an int[] copy.")]
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The element at <paramref name="index"/> (one index per dimension; negative values count from the end).</summary>
    /// <remarks>Setting writes through to the shared storage, so every view of it sees the change. Setting an element
    /// of a leaf that requires gradients is refused while gradients are recorded, as in PyTorch: an op may have saved
    /// the old value for its backward pass. Wrap parameter updates in <see cref="NoGrad"/>.</remarks>
    [System.Runtime.CompilerServices.IndexerName("Element")] // "Item" is taken by Item(), PyTorch's item()
    public float this[params int[] index]
    {
        get => _storage[StorageIndex(index)];
        set
        {
            ThrowIfInPlaceOnGradLeaf("indexer");
            _storage[StorageIndex(index)] = value;
        }
    }

    /// <summary>The value of a one-element tensor (PyTorch's <c>item()</c>).</summary>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public float Item()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException(
                $"Item: only a one-element tensor can be converted to a float, but this one has shape {FormatShape(_shape)}.");
        }
        return _storage[_offset];
    }

    /// <summary>A row-major copy of the elements.</summary>
    public float[] ToArray()
    {
        // Uninitialised: CopyTo writes all Count elements (row by row for a view).
        var result = BufferPool.Allocate(Count);
        CopyTo(result);
        return result;
    }

    /// <summary>A contiguous tensor with the same values: this tensor itself when it is already contiguous,
    /// otherwise a copy (gradients pass through unchanged).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous)
        {
            return this;
        }
        var result = new Tensor(ToArray(), (int[])_shape.Clone());
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("Contiguous", [input], g => input.AccumulateGrad(g));
        }
        return result;
    }

    /// <summary>A contiguous copy that records the copy in the graph (PyTorch's <c>clone()</c>).</summary>
    public Tensor Clone()
    {
        var result = new Tensor(ToArray(), (int[])_shape.Clone());
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record("Clone", [input], g => input.AccumulateGrad(g));
        }
        return result;
    }

    /// <summary>Copies <paramref name="source"/>'s values into this tensor's elements in place (PyTorch's <c>copy_</c>);
    /// <paramref name="source"/> must have this tensor's shape or broadcast to it. Not recorded for autograd.</summary>
    /// <exception cref="InvalidOperationException">This is a leaf that requires gradients and gradients are being recorded.</exception>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ThrowIfInPlaceOnGradLeaf("CopyFrom");
        var broadcastShape = Broadcasting.BroadcastShapes("CopyFrom", _shape, source._shape);
        if (!broadcastShape.AsSpan().SequenceEqual(_shape))
        {
            throw new ArgumentException(
                $"CopyFrom: source of shape {FormatShape(source._shape)} does not broadcast to destination shape {FormatShape(_shape)}.",
                nameof(source));
        }
        // Read the source fully first: it may share storage with this tensor.
        var values = source.Expand(_shape).ToArray();
        var rows = new StridedRows(_shape, [_strides, ContiguousStrides(_shape)], [_offset, 0]);
        while (rows.MoveNext())
        {
            var destination = rows.Offset(0);
            var sourceIndex = rows.Offset(1);
            var stride = rows.InnerStride(0);
            if (stride == 1)
            {
                values.AsSpan(sourceIndex, rows.Length).CopyTo(_storage.AsSpan(destination, rows.Length));
            }
            else
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    _storage[destination + i * stride] = values[sourceIndex + i];
                }
            }
        }
    }

    /// <summary>The elements of a contiguous tensor as a span over the shared storage (library internals: optimisers,
    /// kernels). Writing through it bypasses autograd.</summary>
    internal Span<float> AsSpan()
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException($"AsSpan: tensor of shape {FormatShape(_shape)} is not contiguous.");
        }
        return _storage.AsSpan(_offset, Count);
    }

    /// <summary>The elements in row-major order: the storage itself when contiguous, otherwise a fresh copy.</summary>
    internal ReadOnlySpan<float> ContiguousSpan() => IsContiguous ? _storage.AsSpan(_offset, Count) : ToArray();

    /// <summary>The elements in row-major order as an array this tensor will not write to: the storage itself when
    /// it is exactly the (whole, contiguous) storage, otherwise a copy. Backward closures capture this.</summary>
    internal float[] ContiguousArray() => OwnsStorage ? _storage : ToArray();

    internal float[] Storage => _storage;

    /// <summary>True when this tensor is its whole storage array, in order (a fresh op result or buffer).</summary>
    internal bool OwnsStorage => IsContiguous && _offset == 0 && _storage.Length == Count;

    internal int[] ShapeInternal => _shape;

    internal int[] StridesInternal => _strides;

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>.</summary>
    internal void CopyTo(Span<float> destination)
    {
        if (IsContiguous)
        {
            _storage.AsSpan(_offset, Count).CopyTo(destination);
            return;
        }
        var rows = new StridedRows(_shape, [_strides], [_offset]);
        var written = 0;
        while (rows.MoveNext())
        {
            var start = rows.Offset(0);
            var stride = rows.InnerStride(0);
            var length = rows.Length;
            if (stride == 1)
            {
                _storage.AsSpan(start, length).CopyTo(destination.Slice(written, length));
            }
            else if (stride == 0)
            {
                destination.Slice(written, length).Fill(_storage[start]);
            }
            else
            {
                for (var i = 0; i < length; i++)
                {
                    destination[written + i] = _storage[start + i * stride];
                }
            }
            written += length;
        }
    }

    private int StorageIndex(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException(
                $"Indexer: {index.Length} indices given for a tensor of shape {FormatShape(_shape)} (rank {Rank}).", nameof(index));
        }
        var position = _offset;
        for (var d = 0; d < index.Length; d++)
        {
            var i = index[d] < 0 ? index[d] + _shape[d] : index[d];
            if ((uint)i >= (uint)_shape[d])
            {
                throw new IndexOutOfRangeException(
                    $"Indexer: index {index[d]} is out of range for dimension {d} of size {_shape[d]} (shape {FormatShape(_shape)}).");
            }
            position += i * _strides[d];
        }
        return position;
    }

    private void ThrowIfInPlaceOnGradLeaf(string op)
    {
        if (RequiresGrad && IsLeaf && IsGradEnabled)
        {
            throw new InvalidOperationException(
                $"{op}: a leaf tensor that requires grad cannot be modified in place while gradients are recorded; " +
                "wrap the update in `using (Tensor.NoGrad()) { ... }`.");
        }
    }

    internal static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    internal static int ShapeCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var size in shape)
        {
            count *= size;
        }
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"A tensor of shape {FormatShape(shape)} would have {count} elements, more than an array can hold.");
        }
        return (int)count;
    }

    private static bool HasContiguousStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        var expected = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            // A dimension of size 1 is never stepped along, so its stride does not matter.
            if (shape[d] != 1 && strides[d] != expected)
            {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>Maps a possibly negative dimension into [0, rank) or throws naming the op.</summary>
    internal static int NormalizeDim(string op, int dim, int rank)
    {
        var normalized = dim < 0 ? dim + rank : dim;
        if ((uint)normalized >= (uint)rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim),
                $"{op}: dimension {dim} is out of range for a tensor of rank {rank} (expected {-rank} to {rank - 1}).");
        }
        return normalized;
    }

    /// <summary>Formats a shape for messages: (2, 3); a scalar's shape is ().</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        return "(" + string.Join(", ", shape.ToArray()) + ")";
    }
}
