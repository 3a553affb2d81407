using Generative.Tensors.Kernels;

namespace Generative.Tensors;

// Matrix products through the shared SGEMM kernel. A transposed view (x.T, w.Transpose(0, 1)) is handed to GEMM as a
// transpose flag instead of being copied, so Linear's x W^T and both backward products (g B^T, A^T g) cost no copy.
public sealed partial class Tensor
{
    /// <summary>The matrix product this @ <paramref name="other"/>; see <see cref="MatMul(Tensor, Tensor)"/>.</summary>
    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <summary>
    /// Matrix product: (m, k) @ (k, n) -> (m, n); batched (b, m, k) @ (b, k, n) -> (b, m, n); and
    /// (b, m, k) @ (k, n) -> (b, m, n) (the same matrix for every batch element).
    /// out[i, j] = sum_l a[i, l] b[l, j]; d/da = g b^T, d/db = a^T g.
    /// </summary>
    /// <exception cref="ArgumentException">Ranks other than those, mismatched inner or batch sizes (the message
    /// names both shapes).</exception>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == 3 && b.Rank == 2)
        {
            // Fold the batch into the rows: one large GEMM instead of b small ones; autograd flows through Reshape.
            CheckInner(a, b);
            var (batch, rows) = (a._shape[0], a._shape[1]);
            return MatMul(a.Reshape(batch * rows, a._shape[2]), b).Reshape(batch, rows, b._shape[1]);
        }
        var batched = a.Rank == 3 && b.Rank == 3;
        if (!batched && !(a.Rank == 2 && b.Rank == 2))
        {
            throw new ArgumentException(
                $"MatMul: shapes {FormatShape(a._shape)} and {FormatShape(b._shape)} are not supported; expected (m, k) @ (k, n), " +
                "(b, m, k) @ (b, k, n) or (b, m, k) @ (k, n).");
        }
        CheckInner(a, b);
        if (batched && a._shape[0] != b._shape[0])
        {
            throw new ArgumentException(
                $"MatMul: shapes {FormatShape(a._shape)} and {FormatShape(b._shape)} have different batch sizes {a._shape[0]} and {b._shape[0]}.");
        }
        var count = batched ? a._shape[0] : 1;
        int m = a._shape[^2], k = a._shape[^1], n = b._shape[^1];
        var shape = batched ? new[] { count, m, n } : new[] { m, n };
        // Uninitialised: GEMM with beta = 0 writes every element of C without reading it (zeros when k = 0).
        var data = BufferPool.Allocate(count * m * n);
        var left = GemmOperand.Of(a);
        var right = GemmOperand.Of(b);
        for (var i = 0; i < count; i++)
        {
            Gemm.Multiply(left.Transposed, right.Transposed, m, n, k, 1f,
                left.Storage.AsSpan(left.Offset + i * left.BatchStride), left.LeadingDimension,
                right.Storage.AsSpan(right.Offset + i * right.BatchStride), right.LeadingDimension,
                0f, data.AsSpan(i * m * n, m * n), Math.Max(n, 1));
        }
        var result = new Tensor(data, shape);
        if (ShouldRecord(a, b))
        {
            result.Record("MatMul", [a, b], g =>
            {
                if (a._requiresGrad)
                {
                    a.AccumulateGrad(MatMul(g, b.Transpose(-1, -2)), owned: true);
                }
                if (b._requiresGrad)
                {
                    b.AccumulateGrad(MatMul(a.Transpose(-1, -2), g), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>
    /// PyTorch's linear layer as one op: <c>y = x Wᵀ + b</c> for input x of shape (m, k), weight W of shape (n, k) and
    /// bias b of shape (n) or null; returns shape (m, n). y[i, j] = sum_l x[i, l] W[j, l] + b[j].
    /// d/dx = g W, d/dW = gᵀ x, d/db = sum_i g[i, :].
    /// </summary>
    /// <remarks>The same numbers as <c>x.MatMul(W.T) + b</c>, but each backward product is one GEMM told by flags
    /// which operand to read transposed: dW comes out directly in W's (n, k) layout, where MatMul through the
    /// <c>W.T</c> view would produce it as (k, n) and then copy it back element by element through the transpose.</remarks>
    /// <exception cref="ArgumentException">Input or weight not 2-D, mismatched feature sizes, or a bias that is not
    /// of shape (n) (the message names the shapes).</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Linear("Linear", input, weight, null, bias);

    /// <summary>
    /// MADE's masked layer as one op: <c>y = x (W ⊙ M)ᵀ + b</c>, the same numbers as <c>Linear(x, W * M, b)</c> without
    /// the product W ⊙ M becoming a graph node: its gradient (gᵀ x) ⊙ M is written straight into W's, so a step
    /// allocates one weight-sized buffer fewer per layer and makes one pass fewer over it.
    /// </summary>
    /// <remarks>A mask that requires gradients takes the composed path, so its gradient is computed too.</remarks>
    /// <exception cref="ArgumentException">As <see cref="Linear(Tensor, Tensor, Tensor?)"/>, or a mask not of the weight's shape.</exception>
    internal static Tensor MaskedLinear(Tensor input, Tensor weight, Tensor mask, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(mask);
        if (!mask.ShapeSpan.SequenceEqual(weight.ShapeSpan))
        {
            throw new ArgumentException(
                $"MaskedLinear: mask {FormatShape(mask._shape)} does not match weight {FormatShape(weight._shape)}.", nameof(mask));
        }
        if (mask._requiresGrad && IsGradEnabled)
        {
            return Linear(input, weight * mask, bias);
        }
        return Linear("MaskedLinear", input, weight, mask, bias);
    }

    private static Tensor Linear(string op, Tensor input, Tensor weight, Tensor? mask, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank != 2 || weight.Rank != 2 || input._shape[1] != weight._shape[1])
        {
            throw new ArgumentException(
                $"{op}: input {FormatShape(input._shape)} and weight {FormatShape(weight._shape)} do not fit; expected " +
                "input (m, k) and weight (n, k).");
        }
        int m = input._shape[0], k = input._shape[1], n = weight._shape[0];
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != n))
        {
            throw new ArgumentException(
                $"{op}: bias {FormatShape(bias._shape)} does not fit weight {FormatShape(weight._shape)}; expected ({n}).");
        }

        // GemmOperand.Of describes each operand as row-major or transposed-row-major, so views cost no copy. Reading
        // W as Bᵀ flips its flag. A masked weight is multiplied out once into a row-major buffer, kept for dx.
        var x = GemmOperand.Of(input);
        var maskValues = mask?.ContiguousMemory();
        // W ⊙ M lives in a pooled buffer: returned right after the product when backward will not need it for dx,
        // else at the end of the backward closure (a second backward pass through the same graph multiplies it out
        // again from the weight's current values, which is what the unmasked op reads too).
        var product = maskValues is { } maskMemory ? MaskedProduct(weight, maskMemory) : null;
        var w = product is not null ? GemmOperand.RowMajor(product, k) : GemmOperand.Of(weight);
        // Uninitialised: GEMM with beta = 0 writes every element of C without reading it (zeros when k = 0).
        var data = BufferPool.Allocate(m * n);
        Gemm.Multiply(x.Transposed, !w.Transposed, m, n, k, 1f,
            x.Storage.AsSpan(x.Offset), x.LeadingDimension, w.Storage.AsSpan(w.Offset), w.LeadingDimension,
            0f, data, Math.Max(n, 1));
        if (bias is not null)
        {
            // One add per element, as the broadcast add of x.MatMul(W.T) + b does, so the bits are the same.
            var b = bias.ContiguousSpan();
            for (var i = 0; i < m; i++)
            {
                var row = data.AsSpan(i * n, n);
                System.Numerics.Tensors.TensorPrimitives.Add(row, b, row);
            }
        }
        var result = new Tensor(data, [m, n]);
        var recording = IsGradEnabled && (input._requiresGrad || weight._requiresGrad || bias is { _requiresGrad: true });
        if (product is not null && !(recording && input._requiresGrad))
        {
            BufferPool.Return(product);
            product = null;
        }
        if (recording)
        {
            Tensor[] parents = bias is null ? [input, weight] : [input, weight, bias];
            result.Record(op, parents, g =>
            {
                var gradient = GemmOperand.Of(g);
                var gradientData = gradient.Storage.AsSpan(gradient.Offset);
                if (input._requiresGrad)
                {
                    if (maskValues is { } maskMemory)
                    {
                        product ??= MaskedProduct(weight, maskMemory);
                        w = GemmOperand.RowMajor(product, k);
                    }
                    // dx (m, k) = g (m, n) @ W (n, k); uninitialised for the same reason as the forward output.
                    var dx = BufferPool.Allocate(m * k);
                    Gemm.Multiply(gradient.Transposed, w.Transposed, m, k, n, 1f, gradientData, gradient.LeadingDimension,
                        w.Storage.AsSpan(w.Offset), w.LeadingDimension, 0f, dx, Math.Max(k, 1));
                    input.AccumulateGrad(new Tensor(dx, [m, k]), owned: true);
                    if (product is not null)
                    {
                        BufferPool.Return(product);
                        product = null;
                    }
                }
                if (weight._requiresGrad)
                {
                    // dW (n, k) = gᵀ (n, m) @ x (m, k); uninitialised as above (zeros when m = 0). Masked: times M,
                    // as the product W ⊙ M's backward would multiply it.
                    var dw = BufferPool.Allocate(n * k);
                    Gemm.Multiply(!gradient.Transposed, x.Transposed, n, k, m, 1f, gradientData, gradient.LeadingDimension,
                        x.Storage.AsSpan(x.Offset), x.LeadingDimension, 0f, dw, Math.Max(k, 1));
                    if (maskValues is { } maskMemory)
                    {
                        Multiply(dw, maskMemory, dw);
                    }
                    weight.AccumulateGrad(new Tensor(dw, [n, k]), owned: true);
                }
                if (bias is { _requiresGrad: true })
                {
                    // db = sum over rows, by the same reduction the broadcast add's backward uses; a fresh tensor, as
                    // g (m, n) never has the bias's shape (n).
                    bias.AccumulateGrad(SumTo(g, bias._shape), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>W ⊙ M multiplied out into a buffer rented from <see cref="BufferPool"/>.</summary>
    private static float[] MaskedProduct(Tensor weight, ReadOnlyMemory<float> mask)
    {
        // Uninitialised: the multiply writes every element.
        var product = BufferPool.Rent(weight.Count);
        Multiply(weight.ContiguousMemory(), mask, product);
        return product;
    }

    /// <summary>destination[i] = a[i] * b[i] (destination may be a), split over the GEMM threads when long
    /// (elementwise, so the same bits).</summary>
    private static void Multiply(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, float[] destination) =>
        ParallelRanges.For(destination.Length, (start, length) => System.Numerics.Tensors.TensorPrimitives.Multiply(
            a.Span.Slice(start, length), b.Span.Slice(start, length), destination.AsSpan(start, length)));

    private static void CheckInner(Tensor a, Tensor b)
    {
        if (a._shape[^1] != b._shape[^2])
        {
            throw new ArgumentException(
                $"MatMul: shapes {FormatShape(a._shape)} and {FormatShape(b._shape)} cannot be multiplied: the first has " +
                $"{a._shape[^1]} columns but the second has {b._shape[^2]} rows.");
        }
    }

    /// <summary>How GEMM reads the last two dimensions of a tensor: row-major with a leading dimension, or as the
    /// transpose of a row-major matrix; anything else (e.g. an expanded view) is copied to contiguous first.</summary>
    private readonly record struct GemmOperand(float[] Storage, int Offset, int BatchStride, bool Transposed, int LeadingDimension)
    {
        public static GemmOperand Of(Tensor t)
        {
            int rows = t._shape[^2], columns = t._shape[^1];
            int rowStride = t._strides[^2], columnStride = t._strides[^1];
            var batchStride = t.Rank == 3 ? t._strides[0] : 0;
            if ((columnStride == 1 || columns <= 1) && (rows <= 1 || rowStride >= Math.Max(columns, 1)))
            {
                return new(t._storage, t._offset, batchStride, false, rows <= 1 ? Math.Max(columns, 1) : rowStride);
            }
            if ((rowStride == 1 || rows <= 1) && (columns <= 1 || columnStride >= Math.Max(rows, 1)))
            {
                return new(t._storage, t._offset, batchStride, true, columns <= 1 ? Math.Max(rows, 1) : columnStride);
            }
            var copy = t.ToArray();
            return new(copy, 0, rows * columns, false, Math.Max(columns, 1));
        }

        /// <summary>A row-major (rows, <paramref name="columns"/>) matrix that starts at element 0 of <paramref name="storage"/>.</summary>
        public static GemmOperand RowMajor(float[] storage, int columns) => new(storage, 0, 0, false, Math.Max(columns, 1));
    }
}
