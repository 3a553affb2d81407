using Generative.Tensors;

namespace Generative.Tests.Tensors;

public class TensorViewTests
{
    private static Tensor Matrix() => Tensor.Arange(12).Reshape(3, 4);

    public static TheoryData<string, Func<Tensor, Tensor>> Views => new()
    {
        { "Reshape", x => x.Reshape(2, 6) },
        { "View", x => x.View(4, 3) },
        { "Transpose", x => x.Transpose(0, 1) },
        { "T", x => x.T },
        { "Permute", x => x.Reshape(3, 2, 2).Permute(2, 0, 1) },
        { "Narrow", x => x.Narrow(1, 1, 2) },
        { "Slice", x => x.Slice(1, 0, 4, 2) },
        { "Select", x => x.Select(0, 1) },
        { "Unsqueeze", x => x.Unsqueeze(0) },
        { "Expand", x => x.Select(0, 0).Expand(5, 4) },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void View_WriteThroughBase_IsVisibleInView(string name, Func<Tensor, Tensor> view)
    {
        var x = Matrix();
        var v = view(x);
        var before = v.ToArray();

        // Write to every element of the base, then read the view again: each view element must follow its source.
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                x[i, j] += 100;
            }
        }

        Assert.True(ReferenceEquals(x.Storage, v.Storage), name);
        Assert.Equal(before.Select(b => b + 100).ToArray(), v.ToArray());
    }

    [Fact]
    public void Transpose_Values_AreSwapped()
    {
        var x = Matrix();

        var t = x.T;

        Assert.Equal([4, 3], t.Shape);
        Assert.False(t.IsContiguous);
        Assert.Equal(x[1, 2], t[2, 1]);
        Assert.Equal([0f, 4f, 8f, 1f, 5f, 9f, 2f, 6f, 10f, 3f, 7f, 11f], t.ToArray());
        Assert.True(t.Contiguous().IsContiguous);
        Assert.Equal(t.ToArray(), t.Contiguous().ToArray());
    }

    [Fact]
    public void Narrow_ThenWriteThroughView_ChangesBase()
    {
        var x = Matrix();
        var column = x.Narrow(1, 2, 1);

        column[1, 0] = -1;

        Assert.Equal(-1f, x[1, 2]);
        Assert.Equal([3, 1], column.Shape);
    }

    [Fact]
    public void CopyFrom_IntoNonContiguousView_WritesTheViewedElements()
    {
        var x = Tensor.Zeros(2, 3);

        x.T.Narrow(0, 1, 1).CopyFrom(Tensor.FromArray([7f, 8f], 1, 2));

        Assert.Equal([0f, 7f, 0f, 0f, 8f, 0f], x.ToArray());
    }

    [Fact]
    public void Reshape_NonContiguous_CopiesAndViewThrows()
    {
        var t = Matrix().T;

        var reshaped = t.Reshape(12);

        Assert.False(ReferenceEquals(t.Storage, reshaped.Storage));
        Assert.Equal(t.ToArray(), reshaped.ToArray());
        var error = Assert.Throws<InvalidOperationException>(() => t.View(12));
        Assert.Contains("View", error.Message);
    }

    [Fact]
    public void Reshape_InferredSize_FillsMinusOne()
    {
        Assert.Equal([2, 2, 3], Matrix().Reshape(2, -1, 3).Shape);
        Assert.Throws<ArgumentException>(() => Matrix().Reshape(-1, 5));
        Assert.Throws<ArgumentException>(() => Matrix().Reshape(-1, -1));
    }

    [Fact]
    public void Ops_OnNonContiguousInputs_MatchContiguousCopies()
    {
        var t = Matrix().T;            // (4, 3), strides (1, 4)
        var c = t.Contiguous();
        var row = Tensor.FromArray([1f, -2f, 3f]);

        Assert.Equal((c * row).ToArray(), (t * row).ToArray());
        Assert.Equal(c.Sum(0).ToArray(), t.Sum(0).ToArray());
        Assert.Equal(c.LogSumExp(1).ToArray(), t.LogSumExp(1).ToArray());
        Assert.Equal(c.MatMul(c.T).ToArray(), t.MatMul(t.T).ToArray());
    }

    [Fact]
    public void Select_NegativeIndex_CountsFromEnd()
    {
        Assert.Equal([8f, 9f, 10f, 11f], Matrix().Select(0, -1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix().Select(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix().Select(2, 0));
    }

    [Fact]
    public void MaxAndArgMax_Dim_ReturnFirstMaximum()
    {
        var x = Tensor.FromArray([1, 5, 5, 2, 0, -1], 2, 3);

        var (values, indices) = x.Max(1);

        Assert.Equal([5f, 2f], values.ToArray());
        Assert.Equal([1f, 0f], indices.ToArray());
        Assert.Equal([1f, 0f, 0f], x.ArgMax(0).ToArray());
    }

    [Fact]
    public void LogSumExp_LargeAndInfiniteValues_StaysFinite()
    {
        var x = Tensor.FromArray([1000f, 1000f, float.NegativeInfinity, float.NegativeInfinity], 2, 2);

        var lse = x.LogSumExp(1).ToArray();

        Assert.Equal(1000f + MathF.Log(2), lse[0], 3);
        Assert.Equal(float.NegativeInfinity, lse[1]);
    }

    [Fact]
    public void Comparisons_Broadcast_ReturnMasks()
    {
        var x = Tensor.FromArray([1, 2, 3]);

        Assert.Equal([0f, 0f, 1f], x.Gt(2).ToArray());
        Assert.Equal([0f, 1f, 1f], x.Ge(2).ToArray());
        Assert.Equal([1f, 0f, 0f], x.Lt(2).ToArray());
        Assert.Equal([0f, 1f, 0f], x.Eq(Tensor.FromArray([2f], 1)).ToArray());
        Assert.Equal([1f, 0f, 1f], x.Ne(2).ToArray());
        Assert.Equal([1f, 1f, 0f], x.Le(2).ToArray());
    }
}
