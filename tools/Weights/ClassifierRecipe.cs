using System.Diagnostics;
using Generative.Evaluation;
using Generative.NN;
using Generative.Optim;
using Generative.Tensors;
using Generative.Training;

namespace Generative.Weights;

/// <summary>A <see cref="FashionClassifier"/> trained by <see cref="ClassifierRecipe.Train"/>.</summary>
/// <param name="Model">The trained classifier.</param>
/// <param name="TestNll">Mean cross-entropy of the test labels in nats.</param>
/// <param name="TestAccuracy">Share of test images classified correctly.</param>
/// <param name="Seconds">Training time.</param>
public sealed record TrainedClassifier(FashionClassifier Model, double TestNll, double TestAccuracy, double Seconds);

/// <summary>
/// The recipe of the shipped Fashion-MNIST classifier, the yardstick of lessons 11 and 12 (FID features, class
/// accuracy of conditional samples): grayscale images in [0, 1], Adam 1e-3, batches of 100, 10 epochs, the last 2 at a
/// tenth of the rate; seeded like <see cref="WeightRecipes"/>.
/// </summary>
public static class ClassifierRecipe
{
    /// <summary>The name on the command line and in the catalogue.</summary>
    public const string Name = "classifier";

    /// <summary>The architecture in words.</summary>
    public const string Description = "Fashion-MNIST classifier: conv 32, conv 64 (stride 2), 128 features, 10 logits";

    /// <summary>Adam's rate before the decay.</summary>
    public const double LearningRate = 1e-3;

    /// <summary>The default number of epochs.</summary>
    public const int Epochs = 10;

    /// <summary>How many of the last epochs run at a tenth of the rate.</summary>
    public const int DecayEpochs = 2;

    /// <summary>The mean cross-entropy of <paramref name="labels"/> under the classifier, in nats.</summary>
    public static double MeanNll(FashionClassifier model, Tensor images, IReadOnlyList<int> labels)
    {
        using (Tensor.NoGrad())
        {
            return Losses.CrossEntropy(model.Forward(images), Tensor.FromArray(labels.Select(l => (float)l).ToArray())).Item();
        }
    }

    /// <summary>Trains from <see cref="WeightRecipes.InitialWeights"/> with batches shuffled by
    /// <see cref="WeightRecipes.Shuffles"/>; progress goes to standard error.</summary>
    /// <param name="epochCount">Epochs in all, the decayed ones included.</param>
    /// <param name="batchSize">Images per mini-batch.</param>
    /// <param name="train">Grayscale training images (N, 784) in [0, 1].</param>
    /// <param name="trainLabels">Their classes.</param>
    /// <param name="test">Grayscale test images.</param>
    /// <param name="testLabels">Their classes.</param>
    public static TrainedClassifier Train(int epochCount, int batchSize, Tensor train, IReadOnlyList<int> trainLabels, Tensor test,
        IReadOnlyList<int> testLabels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochCount, 1);
        var model = new FashionClassifier(WeightRecipes.InitialWeights);
        var optimizer = new Adam(model.Parameters(), LearningRate);
        var labelled = LabelledImages.Join(train, trainLabels);
        Tensor Loss(Tensor batch)
        {
            var (images, labels) = LabelledImages.Split(batch);
            return Losses.CrossEntropy(model.Forward(images), labels);
        }
        var decayed = Math.Min(DecayEpochs, epochCount);
        Console.Error.WriteLine($"{Description}: {epochCount} epochs, batch {batchSize}, Adam {LearningRate:0e0}, last {decayed} at a tenth");
        var clock = Stopwatch.StartNew();
        var shuffles = WeightRecipes.Shuffles;
        if (epochCount > decayed)
        {
            Trainer.Fit(Loss, optimizer, labelled, epochCount - decayed, batchSize, shuffles, progress: Trainer.ConsoleProgress, reportEvery: 50);
        }
        if (decayed > 0)
        {
            optimizer.LearningRate = LearningRate / 10;
            Trainer.Fit(Loss, optimizer, labelled, decayed, batchSize, shuffles, progress: Trainer.ConsoleProgress, reportEvery: 50);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var (nll, accuracy) = (MeanNll(model, test, testLabels), model.Accuracy(test, testLabels));
        Console.Error.WriteLine(FormattableString.Invariant($"{Description}: test accuracy {accuracy:P2}, test NLL {nll:F4}, {seconds / 60:F1} min"));
        return new TrainedClassifier(model, nll, accuracy, seconds);
    }
}
