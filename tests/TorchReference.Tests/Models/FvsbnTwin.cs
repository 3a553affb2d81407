using static TorchSharp.torch;

namespace TorchReference.Tests.Models;

/// <summary>FVSBN in TorchSharp: one masked D x D linear layer (strictly lower-triangular mask) gives every
/// conditional's logit; the loss is the summed Bernoulli cross-entropy over the batch size.</summary>
internal sealed class FvsbnTwin : nn.Module<Tensor, Tensor>
{
    private readonly MaskedLinearTwin conditionals;

    public FvsbnTwin(int dimensions) : base(nameof(FvsbnTwin))
    {
        // Dimension d reads dimensions j < d only: the strictly lower triangle.
        conditionals = new MaskedLinearTwin(ones(dimensions, dimensions).tril(-1));
        register_module("conditionals", conditionals);
    }

    public override Tensor forward(Tensor input) => conditionals.forward(input);

    /// <summary>−(1/N) Σ_n log p(x_n).</summary>
    public Tensor loss(Tensor x) =>
        nn.functional.binary_cross_entropy_with_logits(forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
}
