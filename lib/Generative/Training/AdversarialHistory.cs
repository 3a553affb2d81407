using Generative.Plotting;

namespace Generative.Training;

/// <summary>What an <see cref="AdversarialTrainer"/>.Fit run recorded: every step's loss of each player and each
/// epoch's means.</summary>
public sealed class AdversarialHistory
{
    internal AdversarialHistory(IReadOnlyList<float> discriminatorStepLosses, IReadOnlyList<float> generatorStepLosses,
        IReadOnlyList<double> discriminatorEpochLosses, IReadOnlyList<double> generatorEpochLosses, int stepsPerEpoch)
    {
        DiscriminatorStepLosses = discriminatorStepLosses;
        GeneratorStepLosses = generatorStepLosses;
        DiscriminatorEpochLosses = discriminatorEpochLosses;
        GeneratorEpochLosses = generatorEpochLosses;
        StepsPerEpoch = stepsPerEpoch;
    }

    /// <summary>The discriminator's loss at each of its steps, one per batch, in order.</summary>
    public IReadOnlyList<float> DiscriminatorStepLosses { get; }

    /// <summary>The generator's loss at each of its steps (one per k discriminator steps), in order.</summary>
    public IReadOnlyList<float> GeneratorStepLosses { get; }

    /// <summary>The mean of each epoch's discriminator losses.</summary>
    public IReadOnlyList<double> DiscriminatorEpochLosses { get; }

    /// <summary>The mean of each epoch's generator losses (NaN for an epoch without a generator step).</summary>
    public IReadOnlyList<double> GeneratorEpochLosses { get; }

    /// <summary>Batches (discriminator steps) in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Both players' epoch means against the epoch.</summary>
    public Figure Plot(string title = "The two players' losses")
    {
        var epochs = Enumerable.Range(1, DiscriminatorEpochLosses.Count).Select(e => (double)e).ToArray();
        return Plotting.Plot.Line(epochs, DiscriminatorEpochLosses, "discriminator")
            .Add(Plotting.Plot.Line(epochs, GeneratorEpochLosses, "generator"))
            .WithTitle(title).WithAxisTitles("epoch", "loss (nats)");
    }
}
