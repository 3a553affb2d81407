using Generative.Tensors;

namespace Generative.Tests.Tensors;

public class TensorFormattingTests
{
    [Fact]
    public void ToString_Matrix_PrintsLikePyTorch()
    {
        var x = Tensor.FromArray([1, 2, 3, -4], 2, 2);

        Assert.Equal("tensor([[ 1.0000,  2.0000],\n        [ 3.0000, -4.0000]])", x.ToString());
    }

    [Fact]
    public void ToString_ScalarAndVector_Readable()
    {
        Assert.Equal("tensor(3.5000)", Tensor.Scalar(3.5f).ToString());
        Assert.Equal("tensor([0.5000, 1.0000])", Tensor.FromArray([0.5f, 1f]).ToString());
    }

    [Fact]
    public void ToString_ThreeDimensions_BlankLineBetweenBlocks()
    {
        var x = Tensor.Arange(8).Reshape(2, 2, 2);

        Assert.Equal(
            "tensor([[[0.0000, 1.0000],\n         [2.0000, 3.0000]],\n\n        [[4.0000, 5.0000],\n         [6.0000, 7.0000]]])",
            x.ToString());
    }

    [Fact]
    public void ToString_AutogradState_ShownAsInPyTorch()
    {
        var x = Tensor.Ones(1);
        x.RequiresGrad = true;

        Assert.Equal("tensor([1.0000], requires_grad=True)", x.ToString());
        Assert.Equal("tensor([2.0000], grad_fn=<MulBackward>)", (x * 2f).ToString());
    }

    [Fact]
    public void ToString_LargeTensor_SummarisedWithShape()
    {
        var x = Tensor.Arange(2000).Reshape(40, 50);

        var text = x.ToString();

        Assert.StartsWith("tensor([[   0.0000,    1.0000,    2.0000, ...,   47.0000,   48.0000,   49.0000],", text);
        Assert.Contains("...,\n", text);
        Assert.EndsWith("1999.0000]], shape=(40, 50))", text);
        Assert.True(text.Split('\n').Length < 12);
    }

    [Fact]
    public void ToString_TinyAndLargeMagnitudes_Scientific()
    {
        Assert.Equal("tensor([1.0000e-05, 2.0000e+00])", Tensor.FromArray([1e-5f, 2f]).ToString());
    }

    [Fact]
    public void ToString_SpecialValues_NanAndInf()
    {
        Assert.Equal("tensor([   nan,    inf,   -inf, 1.0000])",
            Tensor.FromArray([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1f]).ToString());
    }
}
