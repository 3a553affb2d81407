using Generative.Evaluation;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Tests.Evaluation;

public class FashionClassifierTests
{
    [Fact]
    public void Forward_RowsOrImages_GiveTheSameLogitsAndFeatures()
    {
        var classifier = new FashionClassifier(new Generator(1));
        var rows = Tensor.Rand([3, 784], new Generator(2));

        Assert.Equal([3, 10], classifier.Forward(rows).Shape);
        Assert.Equal([3, FashionClassifier.FeatureCount], classifier.Features(rows).Shape);
        Assert.Equal(classifier.Forward(rows).ToArray(), classifier.Forward(rows.Reshape(3, 1, 28, 28)).ToArray());
        Assert.All(classifier.Features(rows).ToArray(), v => Assert.True(v >= 0));
    }

    [Fact]
    public void Predict_IsTheArgmaxOfTheLogits()
    {
        var classifier = new FashionClassifier(new Generator(1));
        var rows = Tensor.Rand([5, 784], new Generator(2));
        var logits = classifier.Forward(rows).ToArray();

        var predicted = classifier.Predict(rows);

        for (var n = 0; n < 5; n++)
        {
            var row = logits.AsSpan(10 * n, 10).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()), predicted[n]);
        }
        Assert.Equal(predicted.Count(p => p == 3) / 5.0, classifier.Accuracy(rows, [3, 3, 3, 3, 3]));
    }

    [Fact]
    public void Training_TwoSeparableClasses_LearnsThemInTenSteps()
    {
        // Class 0: bright left half; class 1: bright right half.
        var g = new Generator(3);
        var images = new float[40 * 784];
        var labels = new int[40];
        for (var n = 0; n < 40; n++)
        {
            labels[n] = n % 2;
            for (var p = 0; p < 784; p++)
            {
                var left = p % 28 < 14;
                images[n * 784 + p] = (left == (labels[n] == 0) ? 0.8f : 0.1f) + 0.1f * (float)g.NextDouble();
            }
        }
        var x = Tensor.FromArray(images, 40, 784);
        var classifier = new FashionClassifier(new Generator(4));
        var optimizer = new Adam(classifier.Parameters(), 1e-3);
        var targets = Tensor.FromArray(labels.Select(l => (float)l).ToArray());
        var before = Losses.CrossEntropy(classifier.Forward(x), targets).Item();

        for (var step = 0; step < 10; step++)
        {
            optimizer.ZeroGrad();
            Losses.CrossEntropy(classifier.Forward(x), targets).Backward();
            optimizer.Step();
        }

        Assert.True(Losses.CrossEntropy(classifier.Forward(x), targets).Item() < before);
        Assert.Equal(1.0, classifier.Accuracy(x, labels));
    }

    [Fact]
    public void Features_ManyImages_SameAsFewAtATime()
    {
        // More than one chunk of 1,000: each chunk's rows are those of a pass over that chunk alone, so asking for
        // many images at once changes nothing but the peak memory.
        var classifier = new FashionClassifier(new Generator(5));
        var rows = Tensor.Rand([2500, 784], new Generator(6));

        var all = classifier.Features(rows).ToArray();

        Assert.Equal(2500 * FashionClassifier.FeatureCount, all.Length);
        foreach (var (first, end) in new[] { (0, 1000), (1000, 2000), (2000, 2500) })
        {
            var chunk = classifier.Features(rows.Slice(0, first, end)).ToArray();
            Assert.Equal(chunk, all.AsSpan(first * FashionClassifier.FeatureCount, (end - first) * FashionClassifier.FeatureCount).ToArray());
        }
    }

    [Fact]
    public void BadInputs_AreNamed()
    {
        var classifier = new FashionClassifier(new Generator(1));
        Assert.Contains("(N, 784) or (N, 1, 28, 28), got (2, 783)", Assert.Throws<ArgumentException>(() => classifier.Features(Tensor.Zeros([2, 783]))).Message);
        Assert.Contains("2 images but 3 labels", Assert.Throws<ArgumentException>(() => classifier.Accuracy(Tensor.Zeros([2, 784]), [0, 1, 2])).Message);
    }
}
