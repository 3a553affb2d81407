using Generative.Tensors;

namespace Generative.Tests.Tensors;

public class TensorCreationTests
{
    [Fact]
    public void ZerosOnesFull_Shape_FilledWithValue()
    {
        Assert.Equal(new float[6], Tensor.Zeros(2, 3).ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], Tensor.Ones(4).ToArray());
        Assert.Equal([2.5f, 2.5f], Tensor.Full([1, 2], 2.5f).ToArray());
        Assert.Equal([2, 3], Tensor.Zeros(2, 3).Shape);
        Assert.Equal(6, Tensor.Zeros(2, 3).Count);
        Assert.Equal(2, Tensor.Zeros(2, 3).Rank);
    }

    [Fact]
    public void Arange_StartEndStep_MatchesPythonRange()
    {
        Assert.Equal([0f, 1f, 2f, 3f], Tensor.Arange(4).ToArray());
        Assert.Equal([1f, 1.5f, 2f, 2.5f], Tensor.Arange(1, 3, 0.5).ToArray());
        Assert.Equal([5f, 3f, 1f], Tensor.Arange(5, 0, -2).ToArray());
        Assert.Equal(0, Tensor.Arange(3, 3).Count);
    }

    [Fact]
    public void FromArray_Copies_LaterChangesToSourceDoNotLeak()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        var tensor = Tensor.FromArray(data, 2, 3);

        data[0] = 100;

        Assert.Equal(1f, tensor[0, 0]);
        Assert.Equal(6f, tensor[1, 2]);
        Assert.Equal(6f, tensor[-1, -1]);
        Assert.Equal([3], Tensor.FromArray([1, 2, 3]).Shape);
    }

    [Fact]
    public void FromArray_TwoDimensional_RowMajor()
    {
        var tensor = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        Assert.Equal([2, 3], tensor.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], tensor.ToArray());
    }

    [Fact]
    public void Scalar_RankZero_ItemReturnsValue()
    {
        var scalar = Tensor.Scalar(3.5f);

        Assert.Equal(0, scalar.Rank);
        Assert.Equal(1, scalar.Count);
        Assert.Equal(3.5f, scalar.Item());
        Assert.Equal(3.5f, scalar[Array.Empty<int>()]);
    }

    [Fact]
    public void Item_SeveralElements_ThrowsNamingShape()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2, 2).Item());

        Assert.Contains("(2, 2)", error.Message);
    }

    [Fact]
    public void Indexer_WrongRankOrOutOfRange_Throws()
    {
        var tensor = Tensor.Zeros(2, 3);

        Assert.Throws<ArgumentException>(() => tensor[1]);
        Assert.Throws<IndexOutOfRangeException>(() => tensor[2, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => tensor[0, -4]);
    }

    [Fact]
    public void Rand_FixedSeed_ReproducibleAndInUnitInterval()
    {
        var first = Tensor.Rand([1000], new Generator(1)).ToArray();
        var second = Tensor.Rand([1000], new Generator(1)).ToArray();

        Assert.Equal(first, second);
        Assert.All(first, v => Assert.InRange(v, 0f, 0.99999995f));
        Statistics.AssertMeanWithinStandardErrors(0.5, 1.0 / 12, first.Select(v => (double)v).ToArray());
    }

    [Fact]
    public void Randn_FixedSeed_MatchesGeneratorNormalsAndMoments()
    {
        var values = Tensor.Randn([2000], new Generator(2)).ToArray();
        var generator = new Generator(2);

        Assert.Equal((float)generator.Normal(), values[0]);
        Assert.Equal((float)generator.Normal(), values[1]);
        var samples = values.Select(v => (double)v).ToArray();
        Statistics.AssertMeanWithinStandardErrors(0, 1, samples);
        Statistics.AssertVarianceWithinStandardErrors(1, 3, samples);
    }

    [Fact]
    public void Bernoulli_Probabilities_FrequenciesMatchAndExtremesAreExact()
    {
        var probs = Tensor.Full([4000], 0.3f);

        var draws = Tensor.Bernoulli(probs, new Generator(3)).ToArray();

        Assert.All(draws, v => Assert.True(v is 0f or 1f));
        Statistics.AssertMeanWithinStandardErrors(0.3, 0.3 * 0.7, draws.Select(v => (double)v).ToArray());
        Assert.Equal([0f, 1f], Tensor.Bernoulli(Tensor.FromArray([0f, 1f]), new Generator(4)).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Bernoulli(Tensor.FromArray([1.5f]), new Generator(5)));
    }
}
