namespace Generative.Tensors;

// Comparisons return float masks (1 where the predicate holds, 0 elsewhere): the engine has one element type.
// They are piecewise constant, so they carry no gradient; Where routes gradients by such a mask.
public sealed partial class Tensor
{
    /// <summary>1 where this &gt; other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Gt(Tensor other) => Binary<ComparisonKernel<GreaterThan>>("Gt", this, other);

    /// <summary>1 where this &gt;= other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Ge(Tensor other) => Binary<ComparisonKernel<GreaterThanOrEqual>>("Ge", this, other);

    /// <summary>1 where this &lt; other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Lt(Tensor other) => Binary<ComparisonKernel<LessThan>>("Lt", this, other);

    /// <summary>1 where this &lt;= other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Le(Tensor other) => Binary<ComparisonKernel<LessThanOrEqual>>("Le", this, other);

    /// <summary>1 where this == other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Eq(Tensor other) => Binary<ComparisonKernel<EqualTo>>("Eq", this, other);

    /// <summary>1 where this != other (broadcasting), else 0. Not differentiable.</summary>
    public Tensor Ne(Tensor other) => Binary<ComparisonKernel<NotEqualTo>>("Ne", this, other);

    /// <summary>1 where this &gt; value, else 0.</summary>
    public Tensor Gt(float value) => Gt(Scalar(value));

    /// <summary>1 where this &gt;= value, else 0.</summary>
    public Tensor Ge(float value) => Ge(Scalar(value));

    /// <summary>1 where this &lt; value, else 0.</summary>
    public Tensor Lt(float value) => Lt(Scalar(value));

    /// <summary>1 where this &lt;= value, else 0.</summary>
    public Tensor Le(float value) => Le(Scalar(value));

    /// <summary>1 where this == value, else 0.</summary>
    public Tensor Eq(float value) => Eq(Scalar(value));

    /// <summary>1 where this != value, else 0.</summary>
    public Tensor Ne(float value) => Ne(Scalar(value));

    /// <summary>
    /// Elementwise choice: x where <paramref name="condition"/> is non-zero, else y; all three broadcast together.
    /// The gradient goes to x where the condition holds and to y elsewhere; the condition gets none.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var shape = Broadcasting.BroadcastShapes("Where", Broadcasting.BroadcastShapes("Where", condition._shape, x._shape), y._shape);
        var data = new float[ShapeCount(shape)];
        var c = condition.ContiguousSpan();
        var xs = x.ContiguousSpan();
        var ys = y.ContiguousSpan();
        var rows = new StridedRows(shape,
        [
            ContiguousStrides(shape),
            Broadcasting.ExpandedStrides(condition._shape, ContiguousStrides(condition._shape), shape),
            Broadcasting.ExpandedStrides(x._shape, ContiguousStrides(x._shape), shape),
            Broadcasting.ExpandedStrides(y._shape, ContiguousStrides(y._shape), shape),
        ], [0, 0, 0, 0]);
        while (rows.MoveNext())
        {
            int o = rows.Offset(0), oc = rows.Offset(1), ox = rows.Offset(2), oy = rows.Offset(3);
            int sc = rows.InnerStride(1), sx = rows.InnerStride(2), sy = rows.InnerStride(3);
            for (var i = 0; i < rows.Length; i++)
            {
                data[o + i] = c[oc + i * sc] != 0 ? xs[ox + i * sx] : ys[oy + i * sy];
            }
        }
        var result = new Tensor(data, shape);
        if (ShouldRecord(x, y))
        {
            result.Record("Where", [x, y], g =>
            {
                var mask = condition.Ne(0f);
                if (x._requiresGrad)
                {
                    x.AccumulateGrad(SumTo(Binary<MultiplyKernel>("Where", g, mask), x._shape), owned: true);
                }
                if (y._requiresGrad)
                {
                    y.AccumulateGrad(SumTo(Binary<MultiplyKernel>("Where", g, 1f - mask), y._shape), owned: true);
                }
            });
        }
        return result;
    }
}
