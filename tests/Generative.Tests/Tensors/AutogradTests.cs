using Generative.Tensors;

namespace Generative.Tests.Tensors;

public class AutogradTests
{
    private static Tensor Leaf(float[] values, params int[] shape)
    {
        var tensor = Tensor.FromArray(values, shape);
        tensor.RequiresGrad = true;
        return tensor;
    }

    [Fact]
    public void Backward_BroadcastRowVector_SumsGradientOverRows()
    {
        var a = Leaf([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Leaf([10, 20, 30], 3);

        (a * b).Sum().Backward();

        Assert.Equal([5f, 7f, 9f], b.Grad!.ToArray()); // column sums of a
        Assert.Equal([10f, 20f, 30f, 10f, 20f, 30f], a.Grad!.ToArray());
    }

    [Fact]
    public void Backward_OuterBroadcast_SumsOverEachOperandsBroadcastDimension()
    {
        var column = Leaf([1, 2], 2, 1);
        var row = Leaf([1, 10, 100], 1, 3);

        (column + row).Backward(Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3));

        Assert.Equal([6f, 15f], column.Grad!.ToArray());
        Assert.Equal([5f, 7f, 9f], row.Grad!.ToArray());
        Assert.Equal([2, 1], column.Grad.Shape);
    }

    [Fact]
    public void Backward_TensorUsedTwice_AccumulatesBothPaths()
    {
        var x = Leaf([3], 1);

        // y = x * x + x, dy/dx = 2x + 1 = 7
        (x * x + x).Sum().Backward();

        Assert.Equal(7f, x.Grad!.Item());
    }

    [Fact]
    public void Backward_SharedIntermediate_AccumulatesBeforePropagating()
    {
        var x = Leaf([2], 1);
        var h = x.Exp();

        // z = h * h + h with h = e^x: dz/dx = (2h + 1) h
        (h * h + h).Sum().Backward();

        var e2 = MathF.Exp(2);
        Assert.Equal((2 * e2 + 1) * e2, x.Grad!.Item(), 4);
        Assert.Null(h.Grad); // intermediate gradients are not kept unless retained
    }

    [Fact]
    public void Backward_CalledTwice_AccumulatesUntilZeroGrad()
    {
        var x = Leaf([1, 2], 2);
        var loss = (x * x).Sum();

        loss.Backward();
        loss.Backward();

        Assert.Equal([4f, 8f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
        (x * x).Sum().Backward();
        Assert.Equal([2f, 4f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_AddHandsSameGradientToBothParents_GradientsDoNotAlias()
    {
        var a = Leaf([1], 1);
        var b = Leaf([1], 1);

        (a + b).Sum().Backward();
        (a * 3f).Sum().Backward(); // accumulates into a.Grad in place; b.Grad must not change

        Assert.Equal(4f, a.Grad!.Item());
        Assert.Equal(1f, b.Grad!.Item());
    }

    [Fact]
    public void RetainGrad_Intermediate_KeepsItsGradient()
    {
        var x = Leaf([1, 2], 2);
        var h = x * 2f;
        h.RetainGrad();

        (h * h).Sum().Backward();

        Assert.Equal([4f, 8f], h.Grad!.ToArray());
        Assert.Equal([8f, 16f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_NonScalarWithGradient_ComputesVectorJacobianProduct()
    {
        var x = Leaf([1, 2, 3], 3);

        x.Pow(2).Backward(Tensor.FromArray([1, 0.5f, -1], 3));

        Assert.Equal([2f, 2f, -6f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_NonScalarWithoutGradient_Throws()
    {
        var x = Leaf([1, 2, 3], 3);

        var error = Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());

        Assert.Contains("(3)", error.Message);
    }

    [Fact]
    public void Backward_GradientOfWrongShape_NamesBothShapes()
    {
        var x = Leaf([1, 2, 3], 3);

        var error = Assert.Throws<ArgumentException>(() => (x * 2f).Backward(Tensor.Ones(2)));

        Assert.Contains("(2)", error.Message);
        Assert.Contains("(3)", error.Message);
    }

    [Fact]
    public void Backward_NothingRequiresGrad_Throws()
    {
        var x = Tensor.Ones(2);

        Assert.Throws<InvalidOperationException>(() => x.Sum().Backward());
    }

    [Fact]
    public void NoGrad_OpsInside_RecordNothingAndModeRestores()
    {
        var x = Leaf([1, 2], 2);

        Tensor inside, nested;
        using (Tensor.NoGrad())
        {
            using (Tensor.NoGrad())
            {
                nested = x * x;
            }
            Assert.False(Tensor.IsGradEnabled); // the inner scope restores the outer one's setting
            inside = x.Exp().Sum();
        }
        var after = x * x;

        Assert.False(inside.RequiresGrad);
        Assert.False(nested.RequiresGrad);
        Assert.Null(inside.GradFn);
        Assert.True(Tensor.IsGradEnabled);
        Assert.True(after.RequiresGrad);
        Assert.Equal("Mul", after.GradFn);
    }

    [Fact]
    public void EnableGrad_InsideNoGrad_RecordsAgain()
    {
        var x = Leaf([1], 1);

        Tensor y;
        using (Tensor.NoGrad())
        using (Tensor.EnableGrad())
        {
            y = x * x;
        }

        Assert.True(y.RequiresGrad);
    }

    [Fact]
    public async Task NoGrad_FlowStartedOutsideTheScope_IsNotAffected()
    {
        var x = Leaf([1], 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = Task.Run(async () =>
        {
            await gate.Task;
            return (x * x).RequiresGrad;
        });

        bool insideAfterAwait;
        using (Tensor.NoGrad())
        {
            gate.SetResult();
            // The other flow records (the setting is AsyncLocal, not process-wide) ...
            Assert.True(await other);
            // ... and this flow's setting survives the await.
            insideAfterAwait = Tensor.IsGradEnabled;
        }

        Assert.False(insideAfterAwait);
        Assert.True(Tensor.IsGradEnabled);
    }

    [Fact]
    public void Detach_CutsTheGraph_GradientTreatsValueAsConstant()
    {
        var x = Leaf([3], 1);

        // y = detach(x) * x: dy/dx = detach(x) = 3, not 2x = 6
        (x.Detach() * x).Sum().Backward();

        Assert.Equal(3f, x.Grad!.Item());
        Assert.False(x.Detach().RequiresGrad);
    }

    [Fact]
    public void Detach_SharesStorage()
    {
        var x = Tensor.Zeros(2);
        var detached = x.Detach();

        detached[1] = 5;

        Assert.Equal(5f, x[1]);
    }

    [Fact]
    public void RequiresGrad_SetOnNonLeaf_Throws()
    {
        var x = Leaf([1], 1);
        var y = x * 2f;

        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void Indexer_SetOnGradLeafWhileRecording_ThrowsButWorksInNoGrad()
    {
        var x = Leaf([1, 2], 2);

        Assert.Throws<InvalidOperationException>(() => x[0] = 5);
        using (Tensor.NoGrad())
        {
            x[0] = 5;
        }

        Assert.Equal(5f, x[0]);
    }

    [Fact]
    public void Backward_ThroughViews_GradientsLandInTheViewedElements()
    {
        var x = Leaf([1, 2, 3, 4, 5, 6], 2, 3);

        // x[:, 1] * 10 + x.T[2, 0]: column 1 gets 10s, element (0, 2) gets 1
        (x.Select(1, 1) * 10f).Sum().Add(x.T.Select(0, 2).Select(0, 0)).Backward();

        Assert.Equal([0f, 10f, 1f, 0f, 10f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_LongChain_DoesNotOverflowTheStack()
    {
        var x = Leaf([1], 1);
        var y = x;
        for (var i = 0; i < 50_000; i++)
        {
            y = y * 1f;
        }

        y.Sum().Backward();

        Assert.Equal(1f, x.Grad!.Item());
    }

    public static TheoryData<string, Action, string[]> ShapeErrors => new()
    {
        { "Add", () => _ = Tensor.Zeros(2, 3) + Tensor.Zeros(4, 3), ["Add", "(2, 3)", "(4, 3)"] },
        { "Mul", () => _ = Tensor.Zeros(2, 3) * Tensor.Zeros(2), ["Mul", "(2, 3)", "(2)"] },
        { "Where", () => _ = Tensor.Where(Tensor.Zeros(3), Tensor.Zeros(2, 3), Tensor.Zeros(4)), ["Where", "(2, 3)", "(4)"] },
        { "MatMul inner", () => _ = Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)), ["MatMul", "(2, 3)", "(4, 5)"] },
        { "MatMul batch", () => _ = Tensor.Zeros(2, 3, 4).MatMul(Tensor.Zeros(3, 4, 5)), ["MatMul", "(2, 3, 4)", "(3, 4, 5)"] },
        { "MatMul rank", () => _ = Tensor.Zeros(3).MatMul(Tensor.Zeros(3, 4)), ["MatMul", "(3)", "(3, 4)"] },
        { "Reshape", () => _ = Tensor.Zeros(2, 3).Reshape(4, 2), ["Reshape", "(2, 3)", "(4, 2)"] },
        { "Cat", () => _ = Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 4)], 1), ["Cat", "(2, 3)", "(3, 4)"] },
        { "Stack", () => _ = Tensor.Stack([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)]), ["Stack", "(2, 3)", "(2, 4)"] },
        { "Expand", () => _ = Tensor.Zeros(2, 3).Expand(4, 3), ["Expand", "(2, 3)", "(4, 3)"] },
        { "FromArray", () => _ = Tensor.FromArray([1, 2, 3], 2, 2), ["FromArray", "(2, 2)"] },
        { "CopyFrom", () => Tensor.Zeros(2).CopyFrom(Tensor.Zeros(3)), ["CopyFrom", "(2)", "(3)"] },
    };

    [Theory]
    [MemberData(nameof(ShapeErrors))]
    public void Op_IncompatibleShapes_MessageNamesOpAndShapes(string op, Action act, string[] expectedParts)
    {
        var error = Assert.ThrowsAny<ArgumentException>(act);

        foreach (var part in expectedParts)
        {
            Assert.True(error.Message.Contains(part, StringComparison.Ordinal), $"{op}: \"{error.Message}\" does not mention {part}");
        }
    }
}
