using Generative.Tensors;

namespace Generative.Models;

/// <summary>
/// The surface every autoregressive model of binary vectors shares (FVSBN, NADE, MADE): the chain rule
/// p(x) = Π_d p(x_d | x_&lt;d) with each conditional a Bernoulli whose logit the model computes from x_&lt;d.
/// </summary>
/// <remarks>Because the likelihood is exact, <see cref="LogProb"/> is the model's density itself (no bound), training
/// minimises <see cref="Loss"/> (maximum likelihood), and sampling is sequential, one dimension after another.</remarks>
public interface IAutoregressiveModel
{
    /// <summary>D, the length of each binary vector.</summary>
    int Dimensions { get; }

    /// <summary>The logits of every conditional p(x_d = 1 | x_&lt;d) given x (teacher forcing), shape (N, D).</summary>
    Tensor Forward(Tensor x);

    /// <summary>log p(x) in nats for each example of x (N, D): shape (N).</summary>
    Tensor LogProb(Tensor x);

    /// <summary>The training loss, the mean negative log-likelihood in nats (a one-element tensor).</summary>
    Tensor Loss(Tensor x);

    /// <summary>Draws <paramref name="count"/> vectors by ancestral sampling; the same generator state gives the same
    /// samples. Shape (count, D), values 0 or 1.</summary>
    Tensor Sample(int count, Generator generator);
}

/// <summary>What the Bernoulli autoregressive models compute the same way from their logits.</summary>
internal static class BernoulliConditionals
{
    /// <summary>Throws unless <paramref name="input"/> is a batch (N, D) of <paramref name="dimensions"/>-long vectors,
    /// naming the model, the shape and, for image models, the image size; returns the input.</summary>
    public static Tensor CheckInput(string model, Tensor input, int dimensions, (int Height, int Width)? image = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Size(1) != dimensions)
        {
            var images = image is { } size ? $", {size.Height} x {size.Width} images flattened" : "";
            throw new ArgumentException(
                $"{model}: input of shape {Tensor.FormatShape(input.Shape)} must be (N, {dimensions}){images}.", nameof(input));
        }
        return input;
    }

    /// <summary>log p(x) = −Σ_d BCE(logit_d, x_d) per example, shape (N).</summary>
    public static Tensor LogProb(Tensor logits, Tensor x) =>
        NN.Losses.BinaryCrossEntropyWithLogits(logits, x, NN.Reduction.None).Sum(1).Neg();

    /// <summary>The mean over examples of −log p(x).</summary>
    public static Tensor Loss(Tensor logits, Tensor x) =>
        NN.Losses.BinaryCrossEntropyWithLogits(logits, x, NN.Reduction.Sum).Div(x.Size(0));

    /// <summary>Ancestral sampling through a model that computes all D logits in one pass: D passes, the d-th fixing
    /// x_d from its conditional given the dimensions already drawn; not recorded for autograd.</summary>
    public static Tensor Sample(Func<Tensor, Tensor> logits, int dimensions, int count, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(generator);
        var samples = new float[count * dimensions];
        using (Tensor.NoGrad())
        {
            for (var d = 0; d < dimensions; d++)
            {
                var values = logits(Tensor.FromArray(samples, count, dimensions)).ToArray();
                for (var n = 0; n < count; n++)
                {
                    var probability = 1.0 / (1.0 + Math.Exp(-values[n * dimensions + d]));
                    samples[n * dimensions + d] = generator.Bernoulli(probability) ? 1f : 0f;
                }
            }
        }
        return Tensor.FromArray(samples, count, dimensions);
    }
}
