using Generative.Tensors;

namespace Generative.NN;

/// <summary>
/// The minibatch standard deviation layer of Progressive GAN (Karras, Aila, Laine and Lehtinen 2018, "Progressive
/// Growing of GANs for Improved Quality, Stability, and Variation", https://arxiv.org/abs/1710.10196, section 3): appends
/// to every example one feature, the standard deviation of each feature over the batch averaged over the features.
/// </summary>
/// <remarks>
/// <para>For input (N, F) the output is (N, F + 1); for feature maps (N, C, H, W) it is (N, C + 1, H, W), the statistic
/// filling the new channel. A discriminator with this layer sees how varied a batch is: a generator that puts its
/// samples on a few modes gives batches less varied than the data's, which a discriminator judging one example at a
/// time cannot see. The output for one example therefore depends on the rest of its batch, and the layer needs at
/// least two examples.</para>
/// </remarks>
public sealed class MinibatchStdDev : Module<Tensor, Tensor>
{
    /// <summary>Appends the batch's mean standard deviation as one more feature (or channel).</summary>
    /// <param name="input">Shape (N, F) or (N, C, H, W), N ≥ 2.</param>
    /// <exception cref="ArgumentException">The input is not rank 2 or 4, or has fewer than two examples.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 4))
        {
            throw new ArgumentException(
                $"MinibatchStdDev: input must be (N, F) or (N, C, H, W), got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }
        if (input.Shape[0] < 2)
        {
            throw new ArgumentException(
                $"MinibatchStdDev: a standard deviation over the batch needs at least two examples, got {input.Shape[0]}.", nameof(input));
        }
        // Biased variance (as ProGAN), with a small constant inside the root so that its gradient stays finite when
        // every example is the same.
        var meanStd = (input.Var(0, unbiased: false) + 1e-8f).Sqrt().Mean();
        int[] extraShape = [.. input.Shape];
        extraShape[1] = 1;
        return Tensor.Cat([input, Tensor.Ones(extraShape) * meanStd], 1);
    }
}
