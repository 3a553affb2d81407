using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>Progressive GAN's minibatch standard deviation: the batch's biased standard deviation of every feature,
/// averaged, appended as one more feature (or channel).</summary>
internal sealed class MinibatchStdDevTwin() : nn.Module<Tensor, Tensor>(nameof(MinibatchStdDevTwin))
{
    public override Tensor forward(Tensor input)
    {
        var meanStd = (input.var(0, unbiased: false) + 1e-8).sqrt().mean();
        var shape = input.shape.ToArray();
        shape[1] = 1;
        return cat([input, ones(shape, dtype: input.dtype) * meanStd], 1);
    }
}
