namespace Generative.Tests.Random;

/// <summary>A generator's state, read and set: the stream continues exactly, including a held spare normal.</summary>
public class GeneratorStateTests
{
    [Theory]
    [InlineData(0)] // no spare normal held
    [InlineData(1)] // one normal drawn: its pair's second value is held
    public void State_SetOnAnotherGenerator_ContinuesTheSameStream(int normalsBefore)
    {
        var original = new Generator(11);
        for (var i = 0; i < normalsBefore; i++) original.Normal();
        var state = original.State;
        Assert.Equal(normalsBefore == 1, state.SpareNormal.HasValue);

        var copy = new Generator(999) { State = state };
        var expected = Enumerable.Range(0, 5).Select(_ => original.Normal()).Append(original.NextDouble()).ToArray();
        var actual = Enumerable.Range(0, 5).Select(_ => copy.Normal()).Append(copy.NextDouble()).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void State_AllZeroWords_RefusedAndTheGeneratorUnchanged()
    {
        var generator = new Generator(3);
        var before = generator.State;
        var error = Assert.Throws<ArgumentException>(() => generator.State = new GeneratorState(0, 0, 0, 0, null));
        Assert.Contains("all-zero state", error.Message);
        Assert.Equal(before, generator.State);
    }
}
