using Generative.Tensors.Kernels;

namespace Generative.Tensors;

/// <summary>
/// NumPy/PyTorch broadcasting rules: shapes are aligned at their last dimension; two sizes are compatible when they
/// are equal or one of them is 1; missing leading dimensions count as 1. The result takes the larger size.
/// </summary>
internal static class Broadcasting
{
    /// <summary>The shape two operands broadcast to, e.g. (4, 1) and (3) give (4, 3).</summary>
    /// <exception cref="ArgumentException">Naming <paramref name="op"/> and both shapes when they are incompatible.</exception>
    public static int[] BroadcastShapes(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.SequenceEqual(b))
        {
            return a.ToArray();
        }
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var sizeA = d < rank - a.Length ? 1 : a[d - (rank - a.Length)];
            var sizeB = d < rank - b.Length ? 1 : b[d - (rank - b.Length)];
            if (sizeA != sizeB && sizeA != 1 && sizeB != 1)
            {
                throw new ArgumentException(
                    $"{op}: shapes {Tensor.FormatShape(a)} and {Tensor.FormatShape(b)} cannot be broadcast " +
                    $"(dimension {d} has sizes {sizeA} and {sizeB}).");
            }
            result[d] = sizeA == 1 ? sizeB : sizeA;
        }
        return result;
    }

    /// <summary>
    /// Strides that read an operand of <paramref name="shape"/> (with its own <paramref name="strides"/>) as if it had
    /// been expanded to <paramref name="target"/>: 0 along dimensions it is broadcast over.
    /// </summary>
    public static int[] ExpandedStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        var lead = target.Length - shape.Length;
        for (var d = lead; d < target.Length; d++)
        {
            result[d] = shape[d - lead] == 1 && target[d] != 1 ? 0 : strides[d - lead];
        }
        return result;
    }

    /// <summary>
    /// Sums a contiguous gradient of shape <paramref name="sourceShape"/> down to <paramref name="targetShape"/>, the
    /// shape of an operand that was broadcast to <paramref name="sourceShape"/>: the backward of broadcasting adds up
    /// every copy an element was read into. Returns <paramref name="source"/> itself when nothing was broadcast.
    /// </summary>
    public static float[] SumToShape(float[] source, int[] sourceShape, ReadOnlySpan<int> targetShape)
    {
        if (sourceShape.AsSpan().SequenceEqual(targetShape))
        {
            return source;
        }
        var result = new float[Tensor.ShapeCount(targetShape)];
        var targetStrides = ExpandedStrides(targetShape, Tensor.ContiguousStrides(targetShape), sourceShape);
        var rows = new StridedRows(sourceShape, [Tensor.ContiguousStrides(sourceShape), targetStrides], [0, 0]);
        while (rows.MoveNext())
        {
            var row = source.AsSpan(rows.Offset(0), rows.Length);
            if (rows.InnerStride(1) == 0)
            {
                result[rows.Offset(1)] += Reproducible.Sum(row);
            }
            else
            {
                var destination = result.AsSpan(rows.Offset(1), rows.Length);
                System.Numerics.Tensors.TensorPrimitives.Add(destination, row, destination);
            }
        }
        return result;
    }
}

/// <summary>
/// Walks an n-dimensional index space one innermost row at a time, tracking a storage offset per operand, after
/// merging dimensions that every operand steps through contiguously (as PyTorch's TensorIterator does), so that a
/// broadcast add of (B, C, H, W) and (1, C, 1, 1) runs over rows of length H*W rather than W.
/// </summary>
/// <remarks>Per-row work (a span kernel call) amortises the counter arithmetic; there is no per-element dispatch.</remarks>
internal struct StridedRows
{
    private readonly int[] _sizes;      // coalesced sizes, outermost first; the last one is the row length
    private readonly int[][] _strides;  // per operand, coalesced
    private readonly int[] _baseOffsets;
    private readonly int[] _offsets;
    private readonly int[] _counter;
    private long _remaining;

    /// <param name="shape">The index space (typically the output shape).</param>
    /// <param name="strides">One stride array per operand, each of <paramref name="shape"/>'s rank (0 = broadcast).</param>
    /// <param name="offsets">Each operand's starting offset.</param>
    public StridedRows(ReadOnlySpan<int> shape, int[][] strides, int[] offsets)
    {
        var operands = strides.Length;
        var sizes = new int[Math.Max(shape.Length, 1)];
        var coalesced = new int[operands][];
        for (var k = 0; k < operands; k++)
        {
            coalesced[k] = new int[sizes.Length];
        }
        // Build from the innermost dimension outwards, folding a dimension into the group inside it when, for every
        // operand, stepping once along it equals stepping through the whole inner group.
        var count = 0;
        var empty = false;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0)
            {
                empty = true;
            }
            if (shape[d] == 1)
            {
                continue;
            }
            var mergeable = count > 0;
            for (var k = 0; k < operands && mergeable; k++)
            {
                mergeable = strides[k][d] == coalesced[k][count - 1] * sizes[count - 1];
            }
            if (mergeable)
            {
                sizes[count - 1] *= shape[d];
                continue;
            }
            sizes[count] = shape[d];
            for (var k = 0; k < operands; k++)
            {
                coalesced[k][count] = strides[k][d];
            }
            count++;
        }
        if (count == 0)
        {
            sizes[0] = 1;
            count = 1;
        }
        // Reverse into outermost-first order.
        _sizes = new int[count];
        _strides = new int[operands][];
        for (var k = 0; k < operands; k++)
        {
            _strides[k] = new int[count];
        }
        for (var i = 0; i < count; i++)
        {
            _sizes[i] = sizes[count - 1 - i];
            for (var k = 0; k < operands; k++)
            {
                _strides[k][i] = coalesced[k][count - 1 - i];
            }
        }
        _baseOffsets = offsets;
        _offsets = new int[operands];
        _counter = new int[count];
        long rows = 1;
        for (var i = 0; i < count - 1; i++)
        {
            rows *= _sizes[i];
        }
        _remaining = empty ? 0 : rows;
        Length = _sizes[count - 1];
    }

    /// <summary>Elements in each row.</summary>
    public int Length { get; }

    /// <summary>Where the current row starts in operand <paramref name="operand"/>'s storage.</summary>
    public readonly int Offset(int operand) => _offsets[operand];

    /// <summary>Operand <paramref name="operand"/>'s stride along the row (0 when broadcast, 1 when contiguous).</summary>
    public readonly int InnerStride(int operand) => _strides[operand][^1];

    /// <summary>Advances to the next row; false when all rows have been visited.</summary>
    public bool MoveNext()
    {
        if (_remaining == 0)
        {
            return false;
        }
        var outer = _sizes.Length - 1;
        if (_counter[^1] == 0)
        {
            // First row: every counter is zero.
            _counter[^1] = 1;
            Array.Copy(_baseOffsets, _offsets, _offsets.Length);
        }
        else
        {
            // Odometer increment over the outer dimensions (the last slot only marks "started").
            for (var d = outer - 1; d >= 0; d--)
            {
                for (var k = 0; k < _offsets.Length; k++)
                {
                    _offsets[k] += _strides[k][d];
                }
                if (++_counter[d] < _sizes[d])
                {
                    break;
                }
                for (var k = 0; k < _offsets.Length; k++)
                {
                    _offsets[k] -= _strides[k][d] * _sizes[d];
                }
                _counter[d] = 0;
            }
        }
        _remaining--;
        return true;
    }
}
