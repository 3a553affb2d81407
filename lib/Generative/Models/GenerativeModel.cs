using Generative.NN;
using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The root of the course's model hierarchy: a <see cref="Module"/> (so <c>model.Parameters()</c> goes straight to an
/// optimiser) that can draw examples. Three kinds derive from it, one per family of the course; the adversarial
/// autoencoder, which has a latent variable but no likelihood bound, and the GANs whose players also read a label or
/// codes derive from it directly:
/// </summary>
/// <remarks>
/// <code>
/// GenerativeModel                 Dimensions, Sample(count, generator)
/// ├─ DensityModel                 + LogProb(x) exact, Loss(x) = −mean LogProb          (lessons 04-06)
/// │  ├─ AutoregressiveModel       + Forward(x) = the D conditionals' logits             FVSBN, NADE, MADE, PixelCNN, Row LSTM
/// │  └─ Rnade                     + Conditionals(x) = each conditional's Gaussian mixture  (lesson 04; samples in ℝ^D)
/// ├─ LatentVariableModel          + Elbo(x, g), LogProbEstimate(x, k, g), Loss(x, g)    (lessons 07-08) VAE
/// ├─ Aae                          + Encode, Decode, Discriminate(z), three phases' losses, SamplePrior   (lesson 09)
/// ├─ Gan                          + Generate(z), Discriminate(x), DiscriminatorLoss, GeneratorLoss, SampleFrom(z)
/// │                                 (lessons 10-12) MlpGan, DCGAN, ProgressiveGan (+ Grow(stage, α), RealImages)
/// ├─ ConditionalDcgan             + Generate(z, labels), Discriminate(x, labels), SampleClasses         (lesson 11)
/// └─ InfoGan                      + Generate(z, codes), PredictCodes(x), InformationLoss                (lesson 11)
/// </code>
/// <para>Lesson 12's image-to-image models translate an image they are given instead of drawing one from noise, so
/// they are plain modules with the same kind of losses: <see cref="CycleGan"/>, <see cref="StarGan"/> and
/// <see cref="PuzzleGan"/>.</para>
/// <para>
/// <b>One sample layout.</b> Every model's <see cref="Sample"/> returns what its training data looks like as rows:
/// shape (count, D), each row a flattened example (images in raster order), values in [0, 1] (0 or 1 for the binary
/// models). A network that works in another layout, such as a GAN generator's (N, C, H, W) images in [−1, 1], converts
/// in one place, <see cref="SampleLayout"/>, so samples from any model go to the same image grid, the same
/// log-likelihood or the same classifier.
/// </para>
/// </remarks>
public abstract class GenerativeModel : Module
{
    /// <summary>D, the length of one example as a row (784 for 28 x 28 images).</summary>
    public abstract int Dimensions { get; }

    /// <summary>Draws <paramref name="count"/> examples; the same generator state gives the same samples. Not recorded
    /// for autograd.</summary>
    /// <param name="count">How many examples, at least 0.</param>
    /// <param name="generator">The source of randomness.</param>
    /// <returns>Shape (count, D), values in [0, 1].</returns>
    public abstract Tensor Sample(int count, Generator generator);

    /// <summary>Throws unless <paramref name="input"/> is a batch (N, D) of <see cref="Dimensions"/>-long
    /// vectors, naming the model, the shape and, for image models, the image size; returns the input.</summary>
    protected Tensor CheckInput(Tensor input, (int Height, int Width)? image = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Size(1) != Dimensions)
        {
            var images = image is { } size ? $", {size.Height} x {size.Width} images flattened" : "";
            throw new ArgumentException(
                $"{GetType().Name}: input of shape {Tensor.FormatShape(input.Shape)} must be (N, {Dimensions}){images}.", nameof(input));
        }
        return input;
    }

    /// <summary>Runs <paramref name="draw"/> with <paramref name="network"/> in evaluation mode (batch norm on its running
    /// statistics) and autograd off, then restores the network's mode: how a GAN's generator draws samples (and how
    /// lesson 12's translators, which are not generative models, translate).</summary>
    protected internal static Tensor DrawInEvaluationMode(Module network, Func<Tensor> draw)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(draw);
        var training = network.Training;
        network.Eval();
        try
        {
            using (Tensor.NoGrad())
            {
                return draw();
            }
        }
        finally
        {
            network.Train(training);
        }
    }
}

/// <summary>An explicit density model: one whose log-likelihood log p(x) can be computed exactly, so it is trained by
/// maximum likelihood and compared by test NLL (<c>Likelihood.MeanNll</c> in Evaluation/).</summary>
public abstract class DensityModel : GenerativeModel
{
    /// <summary>log p(x) in nats for each example.</summary>
    /// <param name="x">A batch of examples, shape (N, D).</param>
    /// <returns>Shape (N).</returns>
    public abstract Tensor LogProb(Tensor x);

    /// <summary>The training loss, the mean negative log-likelihood −(1/N) Σ_n log p(x_n) in nats (a one-element
    /// tensor): maximum likelihood.</summary>
    /// <param name="x">A batch of examples, shape (N, D).</param>
    public virtual Tensor Loss(Tensor x) => LogProb(x).Mean().Neg();
}

/// <summary>A latent variable model p(x) = ∫ p(z) p(x | z) dz whose log-likelihood is intractable: it offers a lower
/// bound (the ELBO, what training maximises) and an importance-sampled estimate that tightens with more samples.</summary>
public abstract class LatentVariableModel : GenerativeModel
{
    /// <summary>Z, the number of latent dimensions.</summary>
    public abstract int LatentDimensions { get; }

    /// <summary>An estimate of the evidence lower bound ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)) ≤ log p(x)
    /// for each example, in nats, recorded for autograd.</summary>
    /// <param name="x">A batch of examples, shape (N, D).</param>
    /// <param name="generator">Source of the draws from q(z | x).</param>
    /// <returns>Shape (N).</returns>
    public abstract Tensor Elbo(Tensor x, Generator generator);

    /// <summary>An importance-sampled estimate of log p(x) from <paramref name="samples"/> draws of q(z | x) (the IWAE
    /// bound): K = 1 is the ELBO, and the bound tightens towards log p(x) as K grows. Not recorded for autograd.</summary>
    /// <param name="x">A batch of examples, shape (N, D).</param>
    /// <param name="samples">K ≥ 1.</param>
    /// <param name="generator">Source of the draws.</param>
    /// <returns>Shape (N).</returns>
    public abstract Tensor LogProbEstimate(Tensor x, int samples, Generator generator);

    /// <summary>The training loss, the mean negative ELBO in nats (a one-element tensor).</summary>
    /// <param name="x">A batch of examples, shape (N, D).</param>
    /// <param name="generator">Source of the draws from q(z | x).</param>
    public virtual Tensor Loss(Tensor x, Generator generator) => Elbo(x, generator).Mean().Neg();
}
