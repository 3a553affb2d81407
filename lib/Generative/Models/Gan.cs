using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// A generative adversarial network (Goodfellow et al. 2014, "Generative Adversarial Nets",
/// https://arxiv.org/abs/1406.2661): an implicit model, a generator G that turns noise into examples and a
/// discriminator D that scores how real an example looks; no density, only a sampler and a critic.
/// </summary>
/// <remarks>
/// <code>
/// x = G(z),  z ~ N(0, I_Z)            D(x) = logit of P(x is real)
/// min_G max_D  E_data[log σ(D(x))] + E_z[log(1 − σ(D(G(z))))]
/// </code>
/// <para>A model supplies the two networks; the losses (D's, and G's non-saturating and saturating ones), the noise and sampling are written
/// once here. Images pass between G and D in the networks' own layout (for DCGAN (N, 1, 28, 28) in [−1, 1]);
/// <see cref="Sample"/> converts them to the course's sample layout with <see cref="SampleLayout.FromSigned"/>, and
/// <see cref="SampleLayout.ToSigned"/> turns data rows into D's input. A training step uses two optimisers, one over
/// <c>GeneratorNetwork.Parameters()</c> and one over <c>DiscriminatorNetwork.Parameters()</c>, and
/// <c>AdversarialTrainer.Fit</c> alternates them (k discriminator steps per generator step).</para>
/// </remarks>
public abstract class Gan : GenerativeModel
{
    /// <summary>Creates the shared part.</summary>
    /// <param name="latentDimensions">Z, the size of the noise vector.</param>
    protected Gan(int latentDimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentDimensions);
        LatentDimensions = latentDimensions;
    }

    /// <summary>Z.</summary>
    public int LatentDimensions { get; }

    /// <summary>G: noise (N, Z) to examples in the networks' layout.</summary>
    public abstract Module<Tensor, Tensor> GeneratorNetwork { get; }

    /// <summary>D: examples in the networks' layout to logits (N, 1).</summary>
    public abstract Module<Tensor, Tensor> DiscriminatorNetwork { get; }

    /// <summary>Noise z ~ N(0, I) of shape (count, Z).</summary>
    public Tensor SampleLatent(int count, Generator generator) => Tensor.Randn([count, LatentDimensions], generator);

    /// <summary>G(z), recorded for autograd.</summary>
    /// <param name="z">Shape (N, Z).</param>
    public Tensor Generate(Tensor z) => GeneratorNetwork.Forward(z);

    /// <summary>D(x), the logit that each example is real.</summary>
    /// <param name="images">Examples in the networks' layout.</param>
    /// <returns>Shape (N, 1).</returns>
    public Tensor Discriminate(Tensor images) => DiscriminatorNetwork.Forward(images);

    /// <summary>
    /// The discriminator's loss: binary cross-entropy of D on real examples against 1 plus on generated ones against 0,
    /// −mean log σ(D(x)) − mean log(1 − σ(D(G(z)))). <paramref name="fake"/> is detached, so only D receives gradients.
    /// </summary>
    /// <param name="real">Data in the networks' layout.</param>
    /// <param name="fake">Generated examples G(z).</param>
    public virtual Tensor DiscriminatorLoss(Tensor real, Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        return AdversarialLoss.Discriminator(Discriminate(real), Discriminate(fake.Detach()));
    }

    /// <summary>The generator's non-saturating loss −mean log σ(D(G(z))): binary cross-entropy of D on generated
    /// examples against 1. Gradients reach G through <paramref name="fake"/> (and D's parameters too; step only G's
    /// optimiser).</summary>
    /// <param name="fake">Generated examples G(z), still attached to G's graph.</param>
    public virtual Tensor GeneratorLoss(Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return AdversarialLoss.NonSaturating(Discriminate(fake));
    }

    /// <summary>The generator's loss as the value function writes it, mean log(1 − σ(D(G(z)))), minimised by G (the
    /// "minimax" or saturating loss): its gradient vanishes where D confidently rejects the fakes, early in training,
    /// which is why <see cref="GeneratorLoss"/> is the one used.</summary>
    /// <param name="fake">Generated examples G(z), still attached to G's graph.</param>
    public virtual Tensor SaturatingGeneratorLoss(Tensor fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return AdversarialLoss.Saturating(Discriminate(fake));
    }

    /// <summary>Draws <paramref name="count"/> examples G(z), z ~ N(0, I), through <see cref="SampleFrom"/>.</summary>
    /// <returns>Shape (count, D), values in [0, 1].</returns>
    public override Tensor Sample(int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        return SampleFrom(SampleLatent(count, generator));
    }

    /// <summary>G(z) for noise the caller chose (a fixed batch watched over training, a path for an interpolation),
    /// with the generator in evaluation mode (batch norm uses its running statistics; the mode is restored afterwards),
    /// in the course's sample layout. Not recorded for autograd.</summary>
    /// <param name="z">Shape (N, Z).</param>
    /// <returns>Shape (N, D), values in [0, 1].</returns>
    public virtual Tensor SampleFrom(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return DrawInEvaluationMode(GeneratorNetwork, () => SampleLayout.FromSigned(Generate(z)));
    }
}
