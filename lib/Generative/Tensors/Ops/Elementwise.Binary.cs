namespace Generative.Tensors;

// Binary arithmetic with broadcasting. Forward: one span kernel call per (coalesced) row. Backward: the gradient of
// out = f(a, b) with respect to a is (d out / d a) * g evaluated on the broadcast shape, then summed over every
// dimension a was broadcast along (Broadcasting.SumToShape), because each element of a was read once per copy.
public sealed partial class Tensor
{
    /// <summary>Elementwise a + b with broadcasting. d/da = 1, d/db = 1.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var result = Binary<AddKernel>("Add", a, b);
        if (ShouldRecord(a, b))
        {
            result.Record("Add", [a, b], g =>
            {
                a.AccumulateGrad(SumTo(g, a._shape));
                b.AccumulateGrad(SumTo(g, b._shape));
            });
        }
        return result;
    }

    /// <summary>Elementwise a - b with broadcasting. d/da = 1, d/db = -1.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var result = Binary<SubtractKernel>("Sub", a, b);
        if (ShouldRecord(a, b))
        {
            result.Record("Sub", [a, b], g =>
            {
                a.AccumulateGrad(SumTo(g, a._shape));
                if (b._requiresGrad)
                {
                    b.AccumulateGrad(SumTo(-g, b._shape), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>Elementwise a * b with broadcasting. d/da = b, d/db = a.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var result = Binary<MultiplyKernel>("Mul", a, b);
        if (ShouldRecord(a, b))
        {
            result.Record("Mul", [a, b], g =>
            {
                if (a._requiresGrad)
                {
                    a.AccumulateGrad(SumTo(Binary<MultiplyKernel>("Mul", g, b), a._shape), owned: true);
                }
                if (b._requiresGrad)
                {
                    b.AccumulateGrad(SumTo(Binary<MultiplyKernel>("Mul", g, a), b._shape), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>Elementwise a / b with broadcasting. d/da = 1 / b, d/db = -a / b^2 = -out / b.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var result = Binary<DivideKernel>("Div", a, b);
        if (ShouldRecord(a, b))
        {
            result.Record("Div", [a, b], g =>
            {
                var gOverB = Binary<DivideKernel>("Div", g, b);
                if (a._requiresGrad)
                {
                    a.AccumulateGrad(SumTo(gOverB, a._shape)); // not owned: gOverB is read again below
                }
                if (b._requiresGrad)
                {
                    // -g out / b reuses g / b: one extra multiply, no square.
                    b.AccumulateGrad(SumTo(-Binary<MultiplyKernel>("Div", gOverB, result), b._shape), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>Elementwise max(a, b) with broadcasting (PyTorch's <c>maximum</c>). The gradient goes to the larger
    /// input; on a tie it is split equally, as PyTorch does, so the result is a valid subgradient.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Extremum<MaximumKernel, GreaterThan>("Maximum", a, b);

    /// <summary>Elementwise min(a, b) with broadcasting; gradient as for <see cref="Maximum"/>.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Extremum<MinimumKernel, LessThan>("Minimum", a, b);

    /// <summary>this + <paramref name="other"/> (broadcasting).</summary>
    public Tensor Add(Tensor other) => Add(this, other);

    /// <summary>this - <paramref name="other"/> (broadcasting).</summary>
    public Tensor Sub(Tensor other) => Sub(this, other);

    /// <summary>this * <paramref name="other"/> (broadcasting).</summary>
    public Tensor Mul(Tensor other) => Mul(this, other);

    /// <summary>this / <paramref name="other"/> (broadcasting).</summary>
    public Tensor Div(Tensor other) => Div(this, other);

    /// <summary>this + <paramref name="scalar"/>.</summary>
    public Tensor Add(float scalar) => ScalarOp("Add", scalar, ScalarOperation.Add);

    /// <summary>this - <paramref name="scalar"/>.</summary>
    public Tensor Sub(float scalar) => ScalarOp("Sub", scalar, ScalarOperation.Subtract);

    /// <summary>this * <paramref name="scalar"/>.</summary>
    public Tensor Mul(float scalar) => ScalarOp("Mul", scalar, ScalarOperation.Multiply);

    /// <summary>this / <paramref name="scalar"/>.</summary>
    public Tensor Div(float scalar) => ScalarOp("Div", scalar, ScalarOperation.Divide);

    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);

    /// <summary>Elementwise (Hadamard) product with broadcasting; use <see cref="MatMul(Tensor)"/> for the matrix product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);

    /// <summary>Elementwise negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    public static Tensor operator +(Tensor a, float b) => a.Add(b);
    public static Tensor operator +(float a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, float b) => a.Sub(b);
    public static Tensor operator -(float a, Tensor b) => b.ScalarOp("RSub", a, ScalarOperation.SubtractFrom);
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);
    public static Tensor operator *(float a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, float b) => a.Div(b);
    public static Tensor operator /(float a, Tensor b) => b.ScalarOp("RDiv", a, ScalarOperation.DivideInto);

    private enum ScalarOperation
    {
        Add,
        Subtract,      // x - s
        SubtractFrom,  // s - x
        Multiply,
        Divide,        // x / s
        DivideInto,    // s / x
    }

    private Tensor ScalarOp(string op, float scalar, ScalarOperation operation)
    {
        var x = ContiguousSpan();
        // Uninitialised: each kernel call below writes all x.Length elements.
        var data = BufferPool.Allocate(x.Length);
        switch (operation)
        {
            case ScalarOperation.Add: AddKernel.Apply(x, scalar, data); break;
            case ScalarOperation.Subtract: SubtractKernel.Apply(x, scalar, data); break;
            case ScalarOperation.SubtractFrom: SubtractKernel.Apply(scalar, x, data); break;
            case ScalarOperation.Multiply: MultiplyKernel.Apply(x, scalar, data); break;
            case ScalarOperation.Divide: DivideKernel.Apply(x, scalar, data); break;
            default: DivideKernel.Apply(scalar, x, data); break;
        }
        var result = new Tensor(data, (int[])_shape.Clone());
        if (ShouldRecord(this))
        {
            var input = this;
            result.Record(op, [input], g => input.AccumulateGrad(operation switch
            {
                ScalarOperation.Add or ScalarOperation.Subtract => g,
                ScalarOperation.SubtractFrom => -g,
                ScalarOperation.Multiply => g.Mul(scalar),
                ScalarOperation.Divide => g.Div(scalar),
                // d(s / x)/dx = -s / x^2 = -out / x
                _ => -Binary<MultiplyKernel>("RDiv", g, Binary<DivideKernel>("RDiv", result, input)),
            }));
        }
        return result;
    }

    private static Tensor Extremum<TKernel, TWins>(string op, Tensor a, Tensor b)
        where TKernel : IBinaryKernel
        where TWins : IComparison
    {
        var result = Binary<TKernel>(op, a, b);
        if (ShouldRecord(a, b))
        {
            result.Record(op, [a, b], g =>
            {
                // share of a: 1 where a wins, 1/2 on ties, 0 where b wins
                var shareA = Binary<AddKernel>(op, Binary<ComparisonKernel<TWins>>(op, a, b),
                    Binary<ComparisonKernel<EqualTo>>(op, a, b).Mul(0.5f));
                if (a._requiresGrad)
                {
                    a.AccumulateGrad(SumTo(Binary<MultiplyKernel>(op, g, shareA), a._shape), owned: true);
                }
                if (b._requiresGrad)
                {
                    b.AccumulateGrad(SumTo(Binary<MultiplyKernel>(op, g, 1f - shareA), b._shape), owned: true);
                }
            });
        }
        return result;
    }

    /// <summary>
    /// Runs <typeparamref name="TKernel"/> over a and b broadcast together; records nothing. Same-shape and
    /// scalar operands take a single span call; anything else goes row by row.
    /// </summary>
    internal static Tensor Binary<TKernel>(string op, Tensor a, Tensor b)
        where TKernel : IBinaryKernel
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = Broadcasting.BroadcastShapes(op, a._shape, b._shape);
        // Uninitialised: each branch below writes every element, the general one row by row over the whole
        // broadcast shape (StridedRows visits each output row once).
        var data = BufferPool.Allocate(ShapeCount(shape));
        var x = a.ContiguousSpan();
        var y = b.ContiguousSpan();
        if (x.Length == data.Length && y.Length == data.Length)
        {
            TKernel.Apply(x, y, data);
        }
        else if (y.Length == 1 && x.Length == data.Length)
        {
            TKernel.Apply(x, y[0], data);
        }
        else if (x.Length == 1 && y.Length == data.Length)
        {
            TKernel.Apply(x[0], y, data);
        }
        else if (data.Length > 0)
        {
            var rows = new StridedRows(shape,
            [
                ContiguousStrides(shape),
                Broadcasting.ExpandedStrides(a._shape, ContiguousStrides(a._shape), shape),
                Broadcasting.ExpandedStrides(b._shape, ContiguousStrides(b._shape), shape),
            ], [0, 0, 0]);
            var length = rows.Length;
            while (rows.MoveNext())
            {
                var destination = data.AsSpan(rows.Offset(0), length);
                var strideX = rows.InnerStride(1);
                var strideY = rows.InnerStride(2);
                if (strideX != 0 && strideY != 0)
                {
                    TKernel.Apply(x.Slice(rows.Offset(1), length), y.Slice(rows.Offset(2), length), destination);
                }
                else if (strideY == 0)
                {
                    TKernel.Apply(x.Slice(rows.Offset(1), length), y[rows.Offset(2)], destination);
                }
                else
                {
                    TKernel.Apply(x[rows.Offset(1)], y.Slice(rows.Offset(2), length), destination);
                }
            }
        }
        return new Tensor(data, shape);
    }

    /// <summary>Sums a gradient over the dimensions along which an operand of <paramref name="shape"/> was broadcast.</summary>
    internal static Tensor SumTo(Tensor grad, int[] shape)
    {
        if (grad._shape.AsSpan().SequenceEqual(shape))
        {
            return grad.Contiguous();
        }
        return new Tensor(Broadcasting.SumToShape(grad.ContiguousArray(), grad._shape, shape), (int[])shape.Clone());
    }
}
